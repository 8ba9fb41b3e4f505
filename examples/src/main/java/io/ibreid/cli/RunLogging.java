package io.ibreid.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import io.ibreid.core.IbreidException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Sends every log event to a run's {@code train.log} (appending, so a resumed run keeps its history). */
final class RunLogging {
  private RunLogging() {}

  static void toFile(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new IbreidException("cannot create run directory " + file.getParent() + ": " + e.getMessage());
    }
    if (!Files.isWritable(file.toAbsolutePath().getParent())) {
      throw new IbreidException("run directory " + file.getParent() + " is not writable");
    }
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    String name = "run:" + file.toAbsolutePath();
    if (root.getAppender(name) != null) {
      return;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{24} - %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(ctx);
    appender.setName(name);
    appender.setFile(file.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    root.addAppender(appender);
  }

  /** Stops logging to {@code file} and deletes it and its folder (only if nothing else was written there). */
  static void discard(Path file) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    var appender = root.getAppender("run:" + file.toAbsolutePath());
    if (appender != null) {
      root.detachAppender(appender);
      appender.stop();
    }
    try {
      Files.deleteIfExists(file);
      Path dir = file.toAbsolutePath().getParent();
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isEmpty()) {
          Files.delete(dir);
        }
      }
    } catch (IOException e) {
      LoggerFactory.getLogger(RunLogging.class).warn("could not remove {}: {}", file, e.getMessage());
    }
  }
}
