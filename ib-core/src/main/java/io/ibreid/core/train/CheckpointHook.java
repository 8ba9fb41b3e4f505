package io.ibreid.core.train;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.run.Checkpoints;
import io.ibreid.core.run.TrainingState;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a checkpoint (model with the optimiser's moments, the loss terms' state, where training stands) at every
 * epoch end, every {@code checkpoint.everyIterations} steps and after the last step; restores the newest valid one to
 * resume.
 */
final class CheckpointHook implements TrainingHook {
  private final Checkpoints checkpoints;
  private final int everyIterations;
  private final ReidModel model;
  private final Optimizer optimizer;
  private final Objective objective;
  private final Map<String, Object> extra;
  private final Events events;
  private Path last;

  CheckpointHook(Checkpoints checkpoints, int everyIterations, ReidModel model, Optimizer optimizer,
      Objective objective, Map<String, Object> extra, Events events) {
    this.checkpoints = checkpoints;
    this.everyIterations = everyIterations;
    this.model = model;
    this.optimizer = optimizer;
    this.objective = objective;
    this.extra = extra;
    this.events = events;
  }

  /** Restores the newest valid checkpoint into the model, optimiser and loss terms; returns where it stood. */
  TrainingState resume() {
    Path ckpt = checkpoints.latestValid().orElseThrow(() -> new IbreidException("cannot resume: no valid checkpoint in "
        + checkpoints.directory()));
    TrainingState state = Checkpoints.stateOf(Checkpoints.restore(ckpt, model, objective));
    try {
      optimizer.restore(Checkpoints.modelFile(ckpt));
    } catch (IOException e) {
      throw new IbreidException("checkpoint " + ckpt + " cannot be read: " + e.getMessage());
    }
    last = ckpt;
    events.log(Level.INFO, "Resuming from " + ckpt + " (epoch " + state.epoch() + ", batch " + state.batch()
        + ", iteration " + state.iteration() + ")");
    return state;
  }

  @Override
  public void afterStep(StepEnd s) {
    boolean periodic = everyIterations > 0 && s.done() % everyIterations == 0;
    if (s.epochEnd() || periodic || s.last()) {
      last = checkpoints.save(s.next(), model, objective, extra);
      events.onCheckpoint(last);
    }
  }

  /** The checkpoint written (or resumed from) last, or null. */
  Path last() {
    return last;
  }

  /** What a user should know about their checkpoints when training stops. */
  String describeLast() {
    return last == null ? "no checkpoint was written yet" : "the last good checkpoint is " + last;
  }
}
