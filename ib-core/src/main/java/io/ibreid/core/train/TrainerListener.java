package io.ibreid.core.train;

import java.nio.file.Path;
import java.util.List;

/**
 * Callbacks from the {@link Trainer}, on its thread; all default to doing nothing. Per step the order is
 * {@link #onIteration}, then (when due) {@link #onCheckpoint}, then (after a validated epoch) {@link #onValidation};
 * {@link #onEpochEnd} follows an epoch's last step, {@link #onFinish} the run's.
 */
public interface TrainerListener {
  /** One listener that hands every event to each of {@code listeners}, in order. */
  static TrainerListener all(List<? extends TrainerListener> listeners) {
    return new Broadcast(listeners);
  }

  /** Training starts (or resumes) at {@code startIteration} of {@code totalIterations}. */
  default void onStart(long startIteration, long totalIterations, String description) {}

  default void onIteration(IterationRecord record) {}

  default void onCheckpoint(Path checkpoint) {}

  default void onEpochEnd(int epoch, IterationRecord last) {}

  /** Validation scores after {@code epoch} (0-based). */
  default void onValidation(int epoch, java.util.Map<String, Double> scores) {}

  default void onFinish(TrainingSummary summary) {}

  /**
   * A line of the run's narrative, also sent to SLF4J: start and resume, the native build, every
   * {@code log.everyIterations}-th step, validation scores, a new best checkpoint, a skipped batch
   * ({@code WARNING}). The facade writes these lines to the run's {@code train.log}.
   */
  default void onLog(System.Logger.Level level, String message) {}
}
