package io.ibreid.core.data;

import java.lang.System.Logger.Level;

/**
 * Where a data set reports what it does while it opens, before training starts: that it generates a synthetic set,
 * how far generation has come, and warnings about what it found. The facade hands these lines to the run's listeners
 * ({@code TrainerListener.onLog}) and to {@code train.log}; data sets also send them to SLF4J.
 */
@FunctionalInterface
public interface DataLog {
  /** Reports nothing. */
  DataLog NONE = (level, message) -> {};

  /** One line ({@link Level#INFO} or {@link Level#WARNING}). */
  void log(Level level, String message);
}
