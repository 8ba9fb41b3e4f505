package io.ibreid.core.train;

import java.nio.file.Path;
import java.util.Locale;

/** The outcome of {@link Trainer#train}: iterations done, the last step's record, timing and the final checkpoint. */
public record TrainingSummary(long startIteration, long iterations, IterationRecord last, double seconds,
    double imagesPerSecond, double dataWaitFraction, long skippedBatches, Path checkpoint) {
  /**
   * One line: {@code 20 iterations from 0 in 8.4 s (76 img/s, data wait 1.2 %); last loss 5.123 at iteration 19;
   * checkpoint runs/x/checkpoints/iter-00000020}, with the skipped batches when there were any.
   */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d iterations from %d in %.1f s (%.0f img/s, data wait %.1f %%)%s; %s; "
        + "checkpoint %s", iterations, startIteration, seconds, imagesPerSecond, 100 * dataWaitFraction,
        skippedBatches > 0 ? ", " + skippedBatches + " batches skipped" : "",
        last == null ? "no step" : String.format(Locale.ROOT, "last loss %.4f at iteration %d", last.loss(),
            last.iteration()), checkpoint);
  }
}
