package io.syncnode.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import io.syncnode.config.NodeConfig.LogConfig;
import io.syncnode.config.NodeConfig.LogFormat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Applies {@code log.format} and {@code log.level} to the logging backend configured by logback.xml. */
public final class LogFormats {
  private LogFormats() {}

  /**
   * Sets the root logger's level, and writes with logback.xml's pattern ({@code text}) or one JSON
   * object per line ({@code json}). Called at start, before the node logs, and again on each reload.
   */
  public static synchronized void use(LogConfig log) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(log.level(), Level.INFO));
    for (OutputStreamAppender<ILoggingEvent> appender : appenders(context)) {
      switching(appender, context).useJson(log.format() == LogFormat.JSON);
    }
  }

  /**
   * Sends the log to stderr instead of stdout: for commands whose stdout is their data (admin),
   * called before they log anything.
   */
  public static synchronized void toStandardError() {
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
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
    }
  }

  private static List<OutputStreamAppender<ILoggingEvent>> appenders(LoggerContext context) {
    List<OutputStreamAppender<ILoggingEvent>> found = new ArrayList<>();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        found.add(appender);
      }
    }
    return found;
  }

  /** The appender's switching encoder, put in place of logback.xml's the first time. */
  private static SwitchingEncoder switching(OutputStreamAppender<ILoggingEvent> appender, LoggerContext context) {
    if (appender.getEncoder() instanceof SwitchingEncoder existing) {
      return existing;
    }
    JsonLineEncoder json = new JsonLineEncoder();
    json.setContext(context);
    json.start();
    SwitchingEncoder switching = new SwitchingEncoder(appender.getEncoder(), json);
    switching.setContext(context);
    switching.start();
    appender.stop();
    appender.setEncoder(switching);
    appender.start();
    return switching;
  }
}
