package io.syncnode.http;

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
    ctx.addEndHandler(done -> LOG.info("{} {} {} {} ms tenant={} device={} request={}",
        ctx.request().method(), ctx.request().path(), ctx.response().getStatusCode(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), Tenancy.ofOrNone(ctx), Tenancy.device(ctx), id));
    ctx.next();
  }

  private static String requestId(String sent) {
    if (sent != null && !sent.isEmpty() && sent.length() <= 128 && sent.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return sent;
    }
    return UUID.randomUUID().toString();
  }
}
