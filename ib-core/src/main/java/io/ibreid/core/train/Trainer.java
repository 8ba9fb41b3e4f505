package io.ibreid.core.train;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.data.TrainingSet;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the training loop: for each batch, one forward pass of every branch, the {@link Objective}'s external
 * errors, one backward pass, Adam with the warm-up/step schedule, and the loss terms' own updates. It writes
 * {@code metrics.jsonl} every step and checkpoints at epoch ends (and every {@code checkpoint.everyIterations}).
 * All randomness is derived from the run seed and the position in training, so a resumed run repeats an
 * uninterrupted one exactly.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final RunConfig config;
  private final ReidModel model;
  private final Objective objective;
  private final TrainingSet data;
  private final RunDirectory run;
  private final int batchesPerEpoch;
  private final Optional<Validator> validator;

  /** A trainer without validation: the last checkpoint is the result. */
  public Trainer(RunConfig config, ReidModel model, Objective objective, TrainingSet data, RunDirectory run) {
    this(config, model, objective, data, run, Optional.empty());
  }

  @Inject
  public Trainer(RunConfig config, ReidModel model, Objective objective, TrainingSet data, RunDirectory run,
      Optional<Validator> validator) {
    this.validator = validator;
    this.config = config;
    this.model = model;
    this.objective = objective;
    this.data = data;
    this.run = run;
    this.batchesPerEpoch = batchesPerEpoch(config, data);
  }

  /** Batches per epoch: the data set's, capped by {@code schedule.batchesPerEpoch}. */
  public static int batchesPerEpoch(RunConfig config, TrainingSet data) {
    int n = data.batchesPerEpoch();
    if (config.schedule.batchesPerEpoch > 0) {
      n = Math.min(n, config.schedule.batchesPerEpoch);
    }
    if (n <= 0) {
      throw new IbreidException("data set " + data.describe() + " yields no batch per epoch");
    }
    return n;
  }

  public long totalIterations() {
    long total = (long) config.schedule.epochs * batchesPerEpoch;
    return config.schedule.maxIterations > 0 ? Math.min(total, config.schedule.maxIterations) : total;
  }

  public ReidModel model() {
    return model;
  }

  /**
   * Trains from scratch, or from the newest valid checkpoint when {@code resume} is set, with the BLAS threads of
   * {@link io.ibreid.core.natives.NativeRuntime#trainingThreads()} (restored afterwards).
   */
  public TrainingSummary train(boolean resume, TrainerListener listener) {
    try (io.ibreid.core.natives.NativeRuntime.TrainingThreads threads =
        io.ibreid.core.natives.NativeRuntime.trainingThreads()) {
      return train(resume, listener, threads);
    }
  }

  private TrainingSummary train(boolean resume, TrainerListener listener,
      io.ibreid.core.natives.NativeRuntime.TrainingThreads threads) {
    run.prepare(config);
    Checkpoints checkpoints = new Checkpoints(run.checkpoints(), config.checkpoint.keep);
    TrainingState state = TrainingState.start();
    Path lastCheckpoint = null;
    if (resume) {
      Optional<Path> ckpt = checkpoints.latestValid();
      if (ckpt.isEmpty()) {
        throw new IbreidException("cannot resume: no valid checkpoint in " + run.checkpoints());
      }
      state = Checkpoints.stateOf(Checkpoints.restore(ckpt.get(), model, objective));
      lastCheckpoint = ckpt.get();
      note(listener, Level.INFO, "Resuming from " + ckpt.get() + " (epoch " + state.epoch() + ", batch " + state.batch()
          + ", iteration " + state.iteration() + ")");
    }
    long total = totalIterations();
    long start = state.iteration();
    listener.onStart(start, total, config.name + ": " + data.describe());
    note(listener, Level.INFO, "Training " + config.name + " for " + total + " iterations (" + batchesPerEpoch
        + " per epoch) from iteration " + start + "; " + model.graph().numParams() + " parameters");
    io.ibreid.core.natives.NativeChoice nativeBuild = io.ibreid.core.natives.NativeRuntime.load();
    note(listener, Level.INFO, "native build " + nativeBuild.build().id() + " (" + nativeBuild.reason()
        + "), loaded from " + io.ibreid.core.natives.NativeRuntime.loadedFrom() + "; "
        + io.ibreid.core.natives.NativeRuntime.dnnlStatus().describe() + "; " + threads.describe());
    long t0 = System.nanoTime();
    double waitedNanos = 0;
    long images = 0;
    long skipped = 0;
    IterationRecord last = null;
    long iteration = state.iteration();
    try (MetricsLog metrics = new MetricsLog(run.metrics())) {
      metrics.openAfter(iteration);
      for (int epoch = state.epoch(); epoch < config.schedule.epochs && iteration < total; epoch++) {
        int from = epoch == state.epoch() ? state.batch() : 0;
        Iterator<CrossModalBatch> batches = data.epoch(epoch, from);
        for (int b = from; b < batchesPerEpoch && iteration < total; b++) {
          long tStep = System.nanoTime();
          if (!batches.hasNext()) {
            throw new IbreidException("data set ended early in epoch " + epoch + " at batch " + b);
          }
          CrossModalBatch batch = batches.next();
          long tData = System.nanoTime();
          try {
            last = step(batch, iteration, epoch, listener);
          } catch (NonFiniteException e) {
            throw new NonFiniteException(e.term(), e.iteration(), "the value or gradient",
                lastCheckpoint == null ? "no checkpoint was written yet"
                    : "the last good checkpoint is " + lastCheckpoint);
          }
          long tEnd = System.nanoTime();
          double stepSeconds = (tEnd - tStep) / 1e9;
          int n = 2 * batch.pairs();
          last = new IterationRecord(last.iteration(), epoch, last.lr(), last.loss(), last.terms(),
              last.diagnostics(), last.gradientNorm(), n / stepSeconds, (tData - tStep) / 1e9 / stepSeconds,
              last.skipped());
          waitedNanos += tData - tStep;
          images += n;
          skipped += last.skipped() ? 1 : 0;
          iteration++;
          metrics.write(last);
          listener.onIteration(last);
          if (iteration % config.log.everyIterations == 0 || iteration == total) {
            note(listener, Level.INFO, "iter " + iteration + "/" + total + " epoch " + (epoch + 1) + " lr "
                + String.format("%.3g", last.lr()) + " loss " + String.format("%.4f", last.loss()) + " "
                + format(last.terms()) + " " + String.format("%.1f", last.imagesPerSecond()) + " img/s");
          }
          boolean epochEnd = b + 1 == batchesPerEpoch;
          boolean periodic = config.checkpoint.everyIterations > 0
              && iteration % config.checkpoint.everyIterations == 0;
          if (epochEnd || periodic || iteration == total) {
            TrainingState next = epochEnd ? new TrainingState(epoch + 1, 0, iteration)
                : new TrainingState(epoch, b + 1, iteration);
            lastCheckpoint = checkpoints.save(next, model, objective, Map.of("seed", config.seed,
                "numClasses", model.numClasses(), "batchesPerEpoch", batchesPerEpoch));
            listener.onCheckpoint(lastCheckpoint);
            if (epochEnd && validator.isPresent() && ((epoch + 1) % config.validation.everyEpochs == 0
                || epoch + 1 == config.schedule.epochs || iteration == total)) {
              validate(epoch, iteration, lastCheckpoint, checkpoints, metrics, listener);
            }
          }
        }
        if (last != null) {
          listener.onEpochEnd(epoch, last);
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    TrainingSummary summary = new TrainingSummary(start, iteration - start, last, seconds,
        images / Math.max(seconds, 1e-9), waitedNanos / 1e9 / Math.max(seconds, 1e-9), skipped, lastCheckpoint);
    listener.onFinish(summary);
    return summary;
  }

  private void validate(int epoch, long iteration, Path checkpoint, Checkpoints checkpoints, MetricsLog metrics,
      TrainerListener listener) {
    Validator v = validator.orElseThrow();
    Map<String, Double> scores = v.validate(model);
    Double score = scores.get(v.metric());
    if (score == null) {
      throw new IbreidException("validator returned no [" + v.metric() + "] score; it returned " + scores.keySet());
    }
    note(listener, Level.INFO, "validation after epoch " + (epoch + 1) + ": " + scores);
    metrics.writeValidation(iteration - 1, epoch, scores);
    listener.onValidation(epoch, scores);
    double best = checkpoints.best().map(b -> ((Number) b.get("score")).doubleValue())
        .orElse(Double.NEGATIVE_INFINITY);
    if (score > best) {
      Map<String, Object> why = new java.util.LinkedHashMap<>();
      why.put("metric", v.metric());
      why.put("score", score);
      why.put("epoch", epoch + 1);
      why.put("iteration", iteration);
      why.put("checkpoint", checkpoint.getFileName().toString());
      why.put("scores", scores);
      checkpoints.saveBest(checkpoint, why);
      note(listener, Level.INFO, "new best " + v.metric() + " " + score + " at epoch " + (epoch + 1));
    }
  }

  /** One optimisation step on {@code batch}; returns its record (throughput fields filled by the caller). */
  IterationRecord step(CrossModalBatch batch, long iteration, int epoch, TrainerListener listener) {
    double lr = model.learningRate().valueAt((int) iteration, epoch);
    INDArray[] inputs = model.trainingInputs(batch, Seeds.derive(config.seed, iteration, "noise"));
    Objective.Evaluation[] holder = new Objective.Evaluation[1];
    Gradient gradient = model.graph().forwardBackward(inputs, outputs -> {
      holder[0] = objective.evaluate(outputs, batch, iteration);
      return holder[0].errors();
    });
    Objective.Evaluation eval = holder[0];
    INDArray flat = gradient.gradient();
    double norm = flat.norm2Number().doubleValue();
    String bad = eval.nonFiniteTerm();
    if (bad == null && !Double.isFinite(norm)) {
      bad = "parameter gradient";
    }
    if (bad != null) {
      if ("skip".equals(config.onNonFinite)) {
        note(listener, Level.WARNING, "skipping batch at iteration " + iteration + ": " + bad + " is not finite");
        return new IterationRecord(iteration, epoch, lr, Double.NaN, eval.values(), eval.diagnostics(), norm, 0, 0,
            true);
      }
      throw new NonFiniteException(bad, iteration, "the value or gradient");
    }
    model.graph().getUpdater().update(gradient, (int) iteration, epoch, 2 * batch.pairs(),
        LayerWorkspaceMgr.noWorkspaces());
    model.graph().params().subi(flat);
    objective.updateTerms(iteration, lr);
    model.graph().getConfiguration().setIterationCount((int) iteration + 1);
    model.graph().getConfiguration().setEpochCount(epoch);
    return new IterationRecord(iteration, epoch, lr, eval.total(), eval.values(), eval.diagnostics(), norm, 0, 0,
        false);
  }

  /** Logs a line of the run's narrative and hands it to the listener (which writes train.log in the facade). */
  private static void note(TrainerListener listener, Level level, String message) {
    if (level == Level.WARNING) {
      LOG.warn(message);
    } else {
      LOG.info(message);
    }
    listener.onLog(level, message);
  }

  private static String format(Map<String, Double> terms) {
    StringBuilder sb = new StringBuilder("[");
    terms.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(' ')
        .append(String.format("%.4f", v)));
    return sb.append(']').toString();
  }
}
