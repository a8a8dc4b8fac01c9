package io.syncnode.http;

import io.syncnode.config.NodeConfig.HttpConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileProps;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS: the certificate chain and key of http.tls.certPath and http.tls.keyPath (PEM), served by
 * every HTTP verticle of the node. The files are looked at every {@link #POLL_MS}, and read again
 * when either changed (or at once by {@link #reload}, e.g. on a reload signal); connections made
 * after that get the new certificate. A pair that cannot be read or used leaves the old one in place.
 */
public final class TlsCertificates {
  private static final Logger LOG = LoggerFactory.getLogger(TlsCertificates.class);
  static final long POLL_MS = 5_000;

  private final Vertx vertx;
  private final String certPath;
  private final String keyPath;
  private final boolean alpn;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private volatile String seen = "";
  private long poll = -1;

  /** {@code alpn}: offer HTTP/2 (http.http2) besides HTTP/1.1 during the handshake. */
  public TlsCertificates(Vertx vertx, HttpConfig config) {
    this.vertx = vertx;
    this.certPath = config.tls().certPath();
    this.keyPath = config.tls().keyPath();
    this.alpn = config.http2();
  }

  /** The options a server starts with: the files as they are now. */
  PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath);
  }

  void serve(HttpServer server) {
    servers.add(server);
    synchronized (this) {
      if (poll < 0) {
        stamp().onSuccess(stamp -> seen = stamp);
        poll = vertx.setPeriodic(POLL_MS, t -> stamp().onSuccess(stamp -> {
          if (!stamp.equals(seen)) {
            reload();
          }
        }));
      }
    }
  }

  void stopServing(HttpServer server) {
    servers.remove(server);
    synchronized (this) {
      if (servers.isEmpty() && poll >= 0) {
        vertx.cancelTimer(poll);
        poll = -1;
      }
    }
  }

  /**
   * Reads the certificate and key files again and hands them to every server of the node; fails,
   * keeping the certificate in use, if they cannot be read or do not make a key pair.
   */
  public Future<Void> reload() {
    return stamp().compose(stamp -> Future.all(vertx.fileSystem().readFile(certPath), vertx.fileSystem().readFile(keyPath))
        .compose(files -> {
          seen = stamp;
          PemKeyCertOptions pem = new PemKeyCertOptions()
              .setCertValue(files.<Buffer>resultAt(0)).setKeyValue(files.<Buffer>resultAt(1));
          ServerSSLOptions options = new ServerSSLOptions().setKeyCertOptions(pem).setUseAlpn(alpn);
          return Future.all(servers.stream().map(server -> server.updateSSLOptions(options, true)).toList());
        }))
        .<Void>mapEmpty()
        .onSuccess(v -> LOG.info("TLS certificate read again from {}", certPath))
        .onFailure(e -> LOG.warn("TLS certificate {} not taken, the previous one stays: {}", certPath, e.getMessage()));
  }

  /** The files' modification times and sizes. */
  private Future<String> stamp() {
    Future<FileProps> cert = vertx.fileSystem().props(certPath);
    Future<FileProps> key = vertx.fileSystem().props(keyPath);
    return Future.all(cert, key).map(both -> cert.result().lastModifiedTime() + "/" + cert.result().size() + ":"
        + key.result().lastModifiedTime() + "/" + key.result().size());
  }
}
