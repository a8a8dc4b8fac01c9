package io.syncnode.http;

import io.syncnode.auth.KnownKeys;
import io.syncnode.auth.RequestRateLimiter;
import io.syncnode.config.CurrentConfig;
import io.syncnode.config.NodeConfig;
import io.vertx.core.Vertx;

/**
 * What the HTTP verticles of a node share to keep hostile clients from costing it much: the count and
 * deadlines of connections, what it knows of API keys, the refused keys per address, the bytes of
 * request bodies held in memory and of push bodies held in temporary files, and the TLS certificate
 * (null without HTTPS).
 */
public record HttpGuards(Connections connections, KnownKeys keys, RequestRateLimiter failures, BodyBudget bodies,
    BodyBudget spooled, TlsCertificates tls) {

  /** Guards for {@code current}: key lifetimes and the refused-key rate follow a reloaded configuration. */
  public static HttpGuards create(Vertx vertx, CurrentConfig current) {
    NodeConfig config = current.get();
    return new HttpGuards(
        new Connections(config.http().connections()),
        new KnownKeys(() -> current.get().auth().cacheTtlMs()),
        RequestRateLimiter.failures(() -> current.get().auth()),
        new BodyBudget(config.http().maxInFlightBodyBytes()),
        new BodyBudget(config.http().maxSpooledBodyBytes()),
        config.http().tls().enabled() ? new TlsCertificates(vertx, config.http()) : null);
  }
}
