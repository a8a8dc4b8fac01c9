package io.syncnode.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.syncnode.config.NodeConfig.ConnectionLimits;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of one HTTP/1.x connection, watched between the request decoder and the rest of the
 * pipeline (so it sees request heads and body chunks as they are decoded, and responses as they go
 * out). A connection is closed when
 * <ul>
 *   <li>its first request head is not complete within http.headerTimeoutMs of the connection, or the
 *       next one within http.keepAliveTimeoutMs of the previous response (idle keep-alive);
 *   <li>a request body pauses for http.bodyIdleTimeoutMs, or arrives slower than
 *       http.minBodyBytesPerSecond after a first http.bodyIdleTimeoutMs.
 * </ul>
 * While the node itself holds the body back (reading paused), the body's clocks start again. Nothing
 * is timed while a request is being answered, so long requests and live streams are not cut; a
 * WebSocket leaves the guard once upgraded. A deadline noticed more than a second late (the process
 * stood still) starts the phase's clocks again instead of closing. Runs on the connection's event loop only.
 */
final class ConnectionGuard extends ChannelDuplexHandler {
  private enum Phase { AWAIT_HEAD, BODY, ANSWERING }

  /** A deadline timer this late did not run because the process stood still. */
  private static final long STOOD_STILL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final long headerTimeout;
  private final long keepAliveTimeout;
  private final long bodyIdleTimeout;
  private final int minBodyBytesPerSecond;
  private final Runnable onTimeout;
  private Phase phase = Phase.AWAIT_HEAD;
  private boolean answeredOne;
  private int inFlight;
  private long phaseStart;
  private long lastRead;
  private long bodyBytes;
  private ScheduledFuture<?> timer;

  /** {@code onTimeout} counts a connection closed by a deadline. */
  ConnectionGuard(ConnectionLimits limits, Runnable onTimeout) {
    this.headerTimeout = TimeUnit.MILLISECONDS.toNanos(limits.headerTimeoutMs());
    this.keepAliveTimeout = TimeUnit.MILLISECONDS.toNanos(limits.keepAliveTimeoutMs());
    this.bodyIdleTimeout = TimeUnit.MILLISECONDS.toNanos(limits.bodyIdleTimeoutMs());
    this.minBodyBytesPerSecond = limits.minBodyBytesPerSecond();
    this.onTimeout = onTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    phaseStart = System.nanoTime();
    schedule(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    long now = System.nanoTime();
    if (msg instanceof HttpRequest) {
      inFlight++;
      phase = Phase.BODY;
      phaseStart = now;
      bodyBytes = 0;
    }
    if (msg instanceof HttpContent content && phase == Phase.BODY) {
      bodyBytes += content.content().readableBytes();
      lastRead = now;
      if (msg instanceof LastHttpContent) {
        // a quick answer can be out before the request's end has come through here
        if (inFlight > 0) {
          phase = Phase.ANSWERING;
        } else {
          awaitNext(now);
        }
      }
    }
    schedule(ctx);
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof HttpResponse response) {
      if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
        // a WebSocket from now on: its own pings and close handling apply
        cancel();
        super.write(ctx, msg, promise);
        ctx.pipeline().remove(this);
        return;
      }
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        super.write(ctx, msg, promise);
        return;
      }
    }
    if (msg instanceof LastHttpContent && inFlight > 0) {
      inFlight--;
      if (inFlight == 0 && phase == Phase.ANSWERING) {
        awaitNext(System.nanoTime());
        schedule(ctx);
      }
    }
    super.write(ctx, msg, promise);
  }

  private void awaitNext(long now) {
    phase = Phase.AWAIT_HEAD;
    answeredOne = true;
    phaseStart = now;
  }

  /** When the current phase's time is up, or -1 when nothing is timed. */
  private long deadline() {
    return switch (phase) {
      case AWAIT_HEAD -> phaseStart + (answeredOne ? keepAliveTimeout : headerTimeout);
      case BODY -> {
        long idle = Math.max(lastRead, phaseStart) + bodyIdleTimeout;
        if (minBodyBytesPerSecond == 0) {
          yield idle;
        }
        long earned = (long) (bodyBytes * 1e9 / minBodyBytesPerSecond);
        yield Math.min(idle, phaseStart + bodyIdleTimeout + earned);
      }
      case ANSWERING -> -1;
    };
  }

  private void schedule(ChannelHandlerContext ctx) {
    cancel();
    long deadline = deadline();
    if (deadline < 0) {
      return;
    }
    timer = ctx.executor().schedule(() -> expire(ctx), Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    long now = System.nanoTime();
    long deadline = deadline();
    if (deadline < 0 || !ctx.channel().isActive()) {
      return;
    }
    if (now < deadline) {
      schedule(ctx);
      return;
    }
    if (phase == Phase.BODY && !ctx.channel().config().isAutoRead()) {
      // the node holds the body back (a key check, a full buffer): not the client's delay
      restartClocks(now);
      schedule(ctx);
      return;
    }
    if (now - deadline > STOOD_STILL_NANOS) {
      // the timer ran this late because the process stood still (SIGSTOP, a suspended VM): what the
      // client sent meanwhile waits unread in the socket, so the delay is the node's, not the client's
      restartClocks(now);
      schedule(ctx);
      return;
    }
    onTimeout.run();
    ctx.close();
  }

  /** Starts the current phase's clocks again at {@code now}, keeping a body's bytes to its credit. */
  private void restartClocks(long now) {
    if (phase == Phase.BODY) {
      phaseStart = now - (minBodyBytesPerSecond == 0 ? 0 : (long) (bodyBytes * 1e9 / minBodyBytesPerSecond));
      lastRead = now;
    } else {
      phaseStart = now;
    }
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
