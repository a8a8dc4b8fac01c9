package io.syncnode.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * Encodes with the text encoder of logback.xml or with {@link JsonLineEncoder}, whichever is
 * chosen now: log.format changes on a running node without stopping the appender (which would
 * drop the lines logged meanwhile).
 */
final class SwitchingEncoder extends EncoderBase<ILoggingEvent> {
  private final Encoder<ILoggingEvent> text;
  private final Encoder<ILoggingEvent> json;
  private volatile boolean useJson;

  SwitchingEncoder(Encoder<ILoggingEvent> text, Encoder<ILoggingEvent> json) {
    this.text = text;
    this.json = json;
  }

  void useJson(boolean useJson) {
    this.useJson = useJson;
  }

  private Encoder<ILoggingEvent> current() {
    return useJson ? json : text;
  }

  @Override
  public byte[] headerBytes() {
    return current().headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return current().encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return current().footerBytes();
  }
}
