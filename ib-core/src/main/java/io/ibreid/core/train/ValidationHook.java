package io.ibreid.core.train;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.run.Checkpoints;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * After every {@code validation.everyEpochs}-th epoch, the last epoch and the run's last step (when it ends an epoch):
 * scores the model on the validation split, reports the scores ({@link TrainerListener#onValidation}) and keeps the
 * epoch's checkpoint as the best one when its score is the highest so far ({@link Checkpoints#keepIfBest}).
 */
final class ValidationHook implements TrainingHook {
  private final Validator validator;
  private final ReidModel model;
  private final Checkpoints checkpoints;
  private final CheckpointHook written;
  private final int everyEpochs;
  private final int epochs;
  private final Events events;

  /** {@code written} must come before this hook: it writes the checkpoint an epoch end validates. */
  ValidationHook(Validator validator, ReidModel model, Checkpoints checkpoints, CheckpointHook written,
      int everyEpochs, int epochs, Events events) {
    this.validator = validator;
    this.model = model;
    this.checkpoints = checkpoints;
    this.written = written;
    this.everyEpochs = everyEpochs;
    this.epochs = epochs;
    this.events = events;
  }

  @Override
  public void afterStep(StepEnd s) {
    int epoch = s.epoch();
    if (!s.epochEnd() || !((epoch + 1) % everyEpochs == 0 || epoch + 1 == epochs || s.last())) {
      return;
    }
    Map<String, Double> scores = validator.validate(model);
    Double score = scores.get(validator.metric());
    if (score == null) {
      throw new IbreidException("validator returned no [" + validator.metric() + "] score; it returned "
          + scores.keySet());
    }
    events.log(Level.INFO, "validation after epoch " + (epoch + 1) + ": " + scores);
    events.onValidation(epoch, scores);
    Map<String, Object> why = new LinkedHashMap<>();
    why.put("metric", validator.metric());
    why.put("score", score);
    why.put("epoch", epoch + 1);
    why.put("iteration", s.done());
    why.put("checkpoint", written.last().getFileName().toString());
    why.put("scores", scores);
    if (checkpoints.keepIfBest(written.last(), score, why)) {
      events.log(Level.INFO, "new best " + validator.metric() + " " + score + " at epoch " + (epoch + 1));
    }
  }
}
