package io.syncnode.http.common;

import io.syncnode.protocol.InvalidInputException;
import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.worker.api.WorkerFailure;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a JSON error body with the right status. Stack traces go to the log,
 * never to the client.
 */
public final class ErrorResponder implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.failure() instanceof HttpClosedException) {
      // the connection is gone (the client left, or a deadline closed it): nobody to answer
      LOG.debug("{} {}: the connection closed before the answer", ctx.request().method(), ctx.request().path());
      return;
    }
    send(ctx, toApiError(ctx.failure(), ctx.statusCode()));
  }

  public static ApiError toApiError(Throwable failure, int statusCode) {
    if (failure instanceof ApiError apiError) {
      return apiError;
    }
    if (failure instanceof WorkerFailure worker) {
      return worker.unavailable() ? ApiError.unavailable(worker.getMessage()) : ApiError.internal();
    }
    if (failure instanceof InvalidInputException invalid) {
      // Like FastAPI: a body that is not JSON is a 400, a JSON body with a bad field a 422.
      int status = invalid.field() == null ? 400 : 422;
      return new ApiError(status, "invalid_request", invalid.detail(), invalid.field());
    }
    return switch (statusCode) {
      case 400 -> new ApiError(400, "invalid_request", "the request is malformed", null);
      case 404 -> new ApiError(404, "not_found", "no such endpoint", null);
      case 405 -> new ApiError(405, "method_not_allowed", "this endpoint does not take that method", null);
      case 413 -> new ApiError(413, "payload_too_large", "the request body is larger than the server accepts", null);
      case 415 -> new ApiError(415, "unsupported_media_type", "send the body as application/json", null);
      default -> {
        if (statusCode >= 400 && statusCode < 500) {
          yield new ApiError(statusCode, "invalid_request", "the request was refused", null);
        }
        LOG.error("request failed", failure);
        yield ApiError.internal();
      }
    };
  }

  public static void send(RoutingContext ctx, ApiError error) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(error.status()).putHeader("Content-Type", "application/json");
    if (error.status() == 503) {
      response.putHeader("Retry-After", "1");
    }
    response.end(Buffer.buffer(ResponseWriter.error(error.code(), error.getMessage(), error.field())));
  }
}
