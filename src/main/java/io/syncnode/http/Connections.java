package io.syncnode.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.syncnode.config.NodeConfig.ConnectionLimits;
import io.syncnode.protocol.json.ResponseWriter;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client connections of a node, across its HTTP verticles: counted against http.maxConnections,
 * and each HTTP/1.x connection watched by a {@link ConnectionGuard}. A connection past the cap is
 * answered 503 with {@code Retry-After} and closed before any of its requests is read.
 */
public final class Connections {
  /** How long a refused client has to read its 503 before the connection is cut. */
  private static final long REFUSED_LINGER_MS = 2_000;
  private static final String GUARD = "syncnode-guard";

  private final ConnectionLimits limits;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();

  public Connections(ConnectionLimits limits) {
    this.limits = limits;
  }

  /** The server's connection handler: counts the connection, and guards or refuses it. */
  void accept(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return;
    }
    Channel channel = base.channel();
    int now = open.incrementAndGet();
    channel.closeFuture().addListener(closed -> open.decrementAndGet());
    ChannelPipeline pipeline = channel.pipeline();
    boolean http1 = pipeline.get("httpEncoder") != null;
    if (now > limits.maxConnections()) {
      refused.incrementAndGet();
      if (http1) {
        refuse(pipeline);
      } else {
        connection.close();
      }
      return;
    }
    if (http1) {
      pipeline.addAfter("httpEncoder", GUARD, new ConnectionGuard(limits, timedOut::incrementAndGet));
    }
  }

  /**
   * Answers 503 ahead of the request, then half-closes: the client reads the answer and its end
   * instead of a reset (closing at once with its request unread would reset the connection).
   */
  private void refuse(ChannelPipeline pipeline) {
    byte[] body = ResponseWriter.error("too_many_connections",
        "the node holds http.maxConnections connections; retry later", null);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.RETRY_AFTER, 1)
        .set(HttpHeaderNames.CONNECTION, "close");
    pipeline.addAfter("httpEncoder", GUARD, new ChannelInboundHandlerAdapter() {
      @Override
      public void handlerAdded(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
          if (channel instanceof DuplexChannel duplex && !channel.pipeline().names().contains("ssl")) {
            duplex.shutdownOutput();
          }
          channel.eventLoop().schedule(() -> channel.close(), REFUSED_LINGER_MS, TimeUnit.MILLISECONDS);
        });
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
      }
    });
  }

  /** Client connections open now. */
  public int open() {
    return open.get();
  }

  /** Connections answered 503 since start because the node held http.maxConnections. */
  public long refused() {
    return refused.get();
  }

  /** Connections closed since start because a request head or body came too slowly, or a kept-alive one idled. */
  public long timedOut() {
    return timedOut.get();
  }
}
