package io.syncnode.http;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the node can listen on http.host:http.port, asked before it touches the database, and
 * what to tell the operator when it cannot (the address, why, and the setting that changes it).
 */
public final class ListenAddress {
  private ListenAddress() {}

  /** Binds and releases the address at once; answers why it cannot be used, or nothing. */
  public static Optional<String> problem(String host, int port) {
    if (port == 0) {
      return Optional.empty();
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(unbracketed(host)), port));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(describe(host, port, e));
    }
  }

  /** The operator's message for a failure to listen on host:port. */
  public static String describe(String host, int port, Throwable failure) {
    String where = "cannot listen on " + host + ":" + port + ": ";
    if (failure instanceof UnknownHostException) {
      return where + "unknown host (set http.host or SYNCNODE_HTTP_HOST to an address of this machine)";
    }
    String reason = failure.getMessage() == null ? "" : failure.getMessage().toLowerCase(Locale.ROOT);
    if (reason.contains("already in use")) {
      return where + "address already in use (another process listens there; set http.port or SYNCNODE_HTTP_PORT"
          + " to a free port)";
    }
    if (reason.contains("permission denied") || reason.contains("access denied")) {
      return where + "permission denied (ports below 1024 need privileges; set http.port or SYNCNODE_HTTP_PORT"
          + " to a higher one)";
    }
    if (reason.contains("assign requested address")) {
      return where + "no such address on this machine (set http.host or SYNCNODE_HTTP_HOST)";
    }
    return where + (reason.isEmpty() ? failure.toString() : reason);
  }

  /** Whether a failure of the real listen is one {@link #describe} speaks of. */
  public static boolean isListenFailure(Throwable failure) {
    return failure instanceof BindException
        || failure.getMessage() != null && failure.getMessage().toLowerCase(Locale.ROOT).contains("already in use");
  }

  private static String unbracketed(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
