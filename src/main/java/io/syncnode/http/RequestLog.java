package io.syncnode.http;

import io.syncnode.http.common.Tenancy;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request (method, path, status, duration, tenant, device, request id). The
 * request id is the client's {@code X-Request-Id} if it sent a sensible one, else a new one; it
 * is echoed in the response.
 */
final class RequestLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("syncnode.requests");
  static final String HEADER = "X-Request-Id";

  @Override
  public void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    String id = requestId(ctx.request().getHeader(HEADER));
    ctx.response().putHeader(HEADER, id);
    ctx.addEndHandler(done -> log(ctx, id, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
    ctx.next();
  }

  /** The same fields twice: in the message (the text format) and as key-value pairs (fields of the JSON format). */
  private static void log(RoutingContext ctx, String id, long millis) {
    String method = ctx.request().method().name();
    String path = ctx.request().path();
    int status = ctx.response().getStatusCode();
    String tenant = Tenancy.ofOrNone(ctx);
    String device = Tenancy.device(ctx);
    LOG.atInfo()
        .addKeyValue("method", method)
        .addKeyValue("path", path)
        .addKeyValue("status", status)
        .addKeyValue("duration_ms", millis)
        .addKeyValue("tenant", absentAsNull(tenant))
        .addKeyValue("device", absentAsNull(device))
        .addKeyValue("request_id", id)
        .log("{} {} {} {} ms tenant={} device={} request={}", method, path, status, millis, tenant, device, id);
  }

  private static String absentAsNull(String value) {
    return value.equals("-") ? null : value;
  }

  private static String requestId(String sent) {
    if (sent != null && !sent.isEmpty() && sent.length() <= 128 && sent.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return sent;
    }
    return UUID.randomUUID().toString();
  }
}
