package io.syncnode.worker;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes syncnode's own immutable message objects across the local event bus as they are: no
 * copy, no JSON. They never leave the node, so there is no wire form.
 */
public final class LocalCodec implements MessageCodec<Object, Object> {
  public static final String NAME = "syncnode-local";

  /** Registers the codec and selects it for every message class of syncnode. Call once per Vertx. */
  public static void register(EventBus eventBus) {
    eventBus.registerCodec(new LocalCodec());
    eventBus.codecSelector(body -> body != null && body.getClass().getName().startsWith("io.syncnode.") ? NAME : null);
  }

  @Override
  public void encodeToWire(Buffer buffer, Object o) {
    throw new UnsupportedOperationException("syncnode messages are local to a node: " + o.getClass().getName());
  }

  @Override
  public Object decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("syncnode messages are local to a node");
  }

  @Override
  public Object transform(Object o) {
    return o;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
