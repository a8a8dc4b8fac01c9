package io.syncnode.worker.api;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/** Requests to the node's own workers over the local event bus, their failures as {@link WorkerFailure}. */
final class BusRequests {
  private final EventBus bus;
  private final DeliveryOptions options;

  BusRequests(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeoutMs);
  }

  <T> Future<T> request(String address, Object body) {
    return bus.<T>request(address, body, options).map(Message::body).recover(BusRequests::translate);
  }

  private static <T> Future<T> translate(Throwable error) {
    if (error instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() != WorkerFailure.UNAVAILABLE_CODE) {
        return Future.failedFuture(new WorkerFailure(false, "internal error"));
      }
      String detail = reply.failureType() == ReplyFailure.TIMEOUT ? "the database did not answer in time"
          : reply.failureType() == ReplyFailure.RECIPIENT_FAILURE ? reply.getMessage()
          : "the node is not ready to serve this request";
      return Future.failedFuture(new WorkerFailure(true, detail));
    }
    return Future.failedFuture(error);
  }
}
