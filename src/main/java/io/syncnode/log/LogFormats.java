package io.syncnode.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.syncnode.config.NodeConfig.LogFormat;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/** Applies {@code log.format} to the logging backend configured by logback.xml. */
public final class LogFormats {
  private LogFormats() {}

  /**
   * With {@code json}, gives every appender of the root logger a {@link JsonLineEncoder}; with
   * {@code text}, leaves logback.xml's pattern. Called once at start, before the node logs.
   */
  public static void use(LogFormat format) {
    if (format == LogFormat.TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        appender.stop();
        appender.setEncoder(encoder);
        appender.start();
      }
    }
  }
}
