package io.syncnode.http;

import io.syncnode.config.NodeConfig;
import io.vertx.core.Vertx;

/**
 * What the HTTP verticles of a node share to keep hostile clients from costing it much: the count and
 * deadlines of connections, what it knows of API keys, the refused keys per address, and the TLS
 * certificate (null without HTTPS).
 */
public record HttpGuards(Connections connections, KnownKeys keys, RequestRateLimiter failures, TlsCertificates tls) {

  public static HttpGuards create(Vertx vertx, NodeConfig config) {
    return new HttpGuards(
        new Connections(config.http().connections()),
        new KnownKeys(config.auth().cacheTtlMs()),
        config.auth().failureRate() == 0 ? null
            : new RequestRateLimiter(config.auth().failureRate(), config.auth().failureBurst()),
        config.http().tls().enabled() ? new TlsCertificates(vertx, config.http()) : null);
  }
}
