package io.syncnode.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
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
    for (OutputStreamAppender<ILoggingEvent> appender : appenders(context)) {
      JsonLineEncoder encoder = new JsonLineEncoder();
      encoder.setContext(context);
      encoder.start();
      appender.stop();
      appender.setEncoder(encoder);
      appender.start();
    }
  }

  /**
   * Sends the log to stderr instead of stdout: for commands whose stdout is their data (admin),
   * called before they log anything.
   */
  public static void toStandardError() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    for (OutputStreamAppender<ILoggingEvent> appender : appenders(context)) {
      if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
        console.stop();
        console.setTarget("System.err");
        console.start();
      }
    }
  }

  /**
   * Puts the root logger at INFO: when SYNCNODE_LOG_LEVEL names no level, logback falls back to
   * DEBUG, and the lines before the node stops over that value would be debug noise.
   */
  public static void defaultLevel() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
    }
  }

  private static java.util.List<OutputStreamAppender<ILoggingEvent>> appenders(LoggerContext context) {
    java.util.List<OutputStreamAppender<ILoggingEvent>> found = new java.util.ArrayList<>();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        found.add(appender);
      }
    }
    return found;
  }
}
