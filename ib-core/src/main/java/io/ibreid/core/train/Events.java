package io.ibreid.core.train;

import java.lang.System.Logger.Level;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the training loop reports, handed to its listeners in order: {@code metrics.jsonl} ({@link MetricsLog}), then
 * the caller's listener. As a hook it reports every step's record and every epoch's end; {@link #log} also sends a
 * line of the run's narrative to SLF4J, as the {@link Trainer}'s logger.
 */
final class Events extends Broadcast implements TrainingHook {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  Events(TrainerListener... listeners) {
    super(List.of(listeners));
  }

  /** A line of the run's narrative: to SLF4J, then to every listener's {@link TrainerListener#onLog}. */
  void log(Level level, String message) {
    if (level == Level.WARNING) {
      LOG.warn(message);
    } else {
      LOG.info(message);
    }
    onLog(level, message);
  }

  @Override
  public void afterStep(StepEnd step) {
    onIteration(step.record());
  }

  @Override
  public void afterEpoch(int epoch, IterationRecord last) {
    onEpochEnd(epoch, last);
  }
}
