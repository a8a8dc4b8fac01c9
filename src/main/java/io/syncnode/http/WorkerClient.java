package io.syncnode.http;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/** Sends requests to the node's workers and turns their failures into API errors. */
final class WorkerClient {
  private final EventBus bus;
  private final DeliveryOptions options;

  WorkerClient(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeoutMs);
  }

  <T> Future<T> request(String address, Object body) {
    return bus.<T>request(address, body, options).map(Message::body).recover(WorkerClient::translate);
  }

  private static <T> Future<T> translate(Throwable error) {
    if (error instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() != 503) {
        return Future.failedFuture(ApiError.internal());
      }
      String detail = reply.failureType() == ReplyFailure.TIMEOUT ? "the database did not answer in time"
          : reply.failureType() == ReplyFailure.RECIPIENT_FAILURE ? reply.getMessage()
          : "the node is not ready to serve this request";
      return Future.failedFuture(ApiError.unavailable(detail));
    }
    return Future.failedFuture(error);
  }
}
