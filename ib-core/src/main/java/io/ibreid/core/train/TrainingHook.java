package io.ibreid.core.train;

import io.ibreid.core.run.TrainingState;

/**
 * Something the training loop calls after every step and every epoch, in the order the {@link Trainer} lists its
 * hooks: the events its listeners see, the periodic log line, checkpoints, validation. Hooks run on the training
 * thread; one that throws stops training.
 */
interface TrainingHook {
  /**
   * Step {@code record.iteration()} is done: it ran batch {@code batch} of {@code epoch}; {@code done} steps are done
   * in all; {@code epochEnd} when it was the epoch's last batch, {@code last} when it was the run's last step.
   */
  record StepEnd(IterationRecord record, int epoch, int batch, long done, boolean epochEnd, boolean last) {
    /** Where training stands now: the next batch to run (what a checkpoint written now records). */
    TrainingState next() {
      return epochEnd ? new TrainingState(epoch + 1, 0, done) : new TrainingState(epoch, batch + 1, done);
    }
  }

  default void afterStep(StepEnd step) {}

  /** The loop left {@code epoch} (at its end, or at the run's last step); {@code last} is the latest step's record. */
  default void afterEpoch(int epoch, IterationRecord last) {}
}
