package io.ibreid.core.train;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.WiredBatch;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.natives.NativeChoice;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.random.Seeds;
import io.ibreid.core.run.Checkpoints;
import io.ibreid.core.run.RunClaim;
import io.ibreid.core.run.RunDirectory;
import io.ibreid.core.run.TrainingState;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.gradient.Gradient;

/**
 * The training loop. A step ({@link #step}) wires its batch once, runs every branch forward, lets the
 * {@link Objective} turn the outputs into external errors, back-propagates them and takes one {@link Optimizer} step
 * (Adam on the warm-up/step schedule). Everything else hangs off the loop as {@link TrainingHook}s, called in this
 * order after each step: the listeners' events (which write {@code metrics.jsonl}), the periodic log line,
 * checkpoints at epoch ends (and every {@code checkpoint.everyIterations}), and, when a {@link Validator} is bound,
 * validation with the best checkpoint. All randomness is derived from the run seed and the position in training, so
 * a resumed run repeats an uninterrupted one exactly.
 */
public final class Trainer {
  private final RunConfig config;
  private final ReidModel model;
  private final Objective objective;
  private final TrainingSet data;
  private final RunDirectory run;
  private final int batchesPerEpoch;
  private final Optional<Validator> validator;
  private final Optimizer optimizer;

  /** A trainer without validation: the last checkpoint is the result. */
  public Trainer(RunConfig config, ReidModel model, Objective objective, TrainingSet data, RunDirectory run) {
    this(config, model, objective, data, run, Optional.empty());
  }

  /** Installs the run's {@link Optimizer} in {@code model}. */
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
    this.optimizer = Optimizer.of(config, model.graph(), batchesPerEpoch);
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

  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * Trains from scratch, or from the newest valid checkpoint when {@code resume} is set: claims the run directory
   * ({@link RunClaim}, which refuses a directory holding another run or checkpoints of this one unless resuming), then
   * {@link #train(RunClaim, TrainerListener)}.
   */
  public TrainingSummary train(boolean resume, TrainerListener listener) {
    try (RunClaim claim = RunClaim.claim(run.root(), config, RunClaim.Mode.of(resume))) {
      TrainingSummary summary = train(claim, listener);
      claim.succeeded();
      return summary;
    }
  }

  /**
   * Trains in a run directory this process has claimed (from its newest valid checkpoint when the claim resumes),
   * with the BLAS threads of {@link NativeRuntime#trainingThreads()} (restored afterwards). First checks that a step
   * fits in memory ({@link MemoryCheck}).
   */
  public TrainingSummary train(RunClaim claim, TrainerListener listener) {
    if (!claim.directory().equals(run.root())) {
      throw new IllegalArgumentException("the claim is for " + claim.directory() + ", the trainer's run is "
          + run.root());
    }
    boolean resume = claim.mode() == RunClaim.Mode.RESUME;
    MemoryCheck.check(config, model);
    try (NativeRuntime.TrainingThreads threads = NativeRuntime.trainingThreads();
        MetricsLog metrics = new MetricsLog(run.metrics())) {
      run.prepare(config);
      Events events = new Events(metrics, listener);
      Checkpoints checkpoints = new Checkpoints(run.checkpoints(), config.checkpoint.keep);
      CheckpointHook checkpointing = new CheckpointHook(checkpoints, config.checkpoint.everyIterations, model,
          optimizer, objective, checkpointExtras(), events);
      TrainingState start = resume ? checkpointing.resume() : TrainingState.start();
      long total = totalIterations();
      events.onStart(start.iteration(), total, config.name + ": " + data.describe());
      announce(events, start, total, threads);
      List<TrainingHook> hooks = new ArrayList<>(List.of(events, new StepLog(events, config.log.everyIterations,
          total), checkpointing));
      validator.ifPresent(v -> hooks.add(new ValidationHook(v, model, checkpoints, checkpointing,
          config.validation.everyEpochs, config.schedule.epochs, events)));
      TrainingSummary summary = loop(start, total, hooks, checkpointing, events);
      events.onFinish(summary);
      return summary;
    } catch (OutOfMemoryError e) {
      String why = e.getMessage() == null ? "OutOfMemoryError" : e.getMessage().lines().findFirst().orElse("");
      throw new IbreidException("training ran out of memory (" + why + ") with input.height x input.width = "
          + config.input.height + " x " + config.input.width + " and " + config.sampler.identities * config.sampler
          .instances + " images per step; lower them (sampler.identities x sampler.instances) or give the process "
          + "more memory (IBREID_JAVA_OPTS=-Xmx...)", e);
    }
  }

  /** What every checkpoint's {@code state.json} records besides where training stands. */
  private Map<String, Object> checkpointExtras() {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("seed", config.seed);
    extra.put("numClasses", model.numClasses());
    extra.put("batchesPerEpoch", batchesPerEpoch);
    return extra;
  }

  /** The run's first lines: what is trained, from where, and on which native build and threads. */
  private void announce(Events events, TrainingState start, long total, NativeRuntime.TrainingThreads threads) {
    events.log(Level.INFO, "Training " + config.name + " for " + total + " iterations (" + batchesPerEpoch
        + " per epoch) from iteration " + start.iteration() + "; " + model.parameterCount() + " parameters");
    NativeChoice nativeBuild = NativeRuntime.load();
    events.log(Level.INFO, "native build " + nativeBuild.build().id() + " (" + nativeBuild.reason()
        + "), loaded from " + NativeRuntime.loadedFrom() + "; " + NativeRuntime.dnnlStatus().describe() + "; "
        + threads.describe());
  }

  /** Runs steps from {@code start} to {@code total}, each followed by every hook; times the steps and data waits. */
  private TrainingSummary loop(TrainingState start, long total, List<TrainingHook> hooks, CheckpointHook checkpoints,
      Events events) {
    long t0 = System.nanoTime();
    long waitedNanos = 0;
    long images = 0;
    long skipped = 0;
    long iteration = start.iteration();
    IterationRecord last = null;
    for (int epoch = start.epoch(); epoch < config.schedule.epochs && iteration < total; epoch++) {
      int from = epoch == start.epoch() ? start.batch() : 0;
      Iterator<CrossModalBatch> batches = data.epoch(epoch, from);
      for (int b = from; b < batchesPerEpoch && iteration < total; b++) {
        long tStep = System.nanoTime();
        if (!batches.hasNext()) {
          throw new IbreidException("data set ended early in epoch " + epoch + " at batch " + b);
        }
        CrossModalBatch batch = batches.next();
        long tData = System.nanoTime();
        try {
          last = step(batch, iteration, epoch, events);
        } catch (NonFiniteException e) {
          throw new NonFiniteException(e.term(), e.iteration(), "the value or gradient", checkpoints.describeLast());
        }
        double stepSeconds = (System.nanoTime() - tStep) / 1e9;
        int n = 2 * batch.pairs();
        last = last.timed(n / stepSeconds, (tData - tStep) / 1e9 / stepSeconds);
        waitedNanos += tData - tStep;
        images += n;
        skipped += last.skipped() ? 1 : 0;
        iteration++;
        TrainingHook.StepEnd end = new TrainingHook.StepEnd(last, epoch, b, iteration, b + 1 == batchesPerEpoch,
            iteration == total);
        hooks.forEach(h -> h.afterStep(end));
      }
      if (last != null) {
        for (TrainingHook h : hooks) {
          h.afterEpoch(epoch, last);
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new TrainingSummary(start.iteration(), iteration - start.iteration(), last, seconds,
        images / Math.max(seconds, 1e-9), waitedNanos / 1e9 / Math.max(seconds, 1e-9), skipped, checkpoints.last());
  }

  /**
   * One optimisation step on {@code data}: wire the batch once (images, rows, labels), forward every branch, the
   * objective's errors back through the graph, Adam, then the loss terms' own parameters. Returns the step's record
   * (throughput filled in by the loop); a non-finite loss or gradient skips the batch or stops ({@code onNonFinite}).
   */
  IterationRecord step(CrossModalBatch data, long iteration, int epoch, Events events) {
    WiredBatch batch = model.wire(data);
    double lr = optimizer.learningRate(iteration, epoch);
    Objective.Evaluation[] loss = new Objective.Evaluation[1];
    Gradient gradient = model.forwardBackward(batch, Seeds.derive(config.seed, iteration, "noise"),
        outputs -> (loss[0] = objective.evaluate(outputs, batch, iteration)).errors());
    double norm = gradient.gradient().norm2Number().doubleValue();
    String bad = loss[0].nonFiniteTerm() != null ? loss[0].nonFiniteTerm()
        : Double.isFinite(norm) ? null : "parameter gradient";
    if (bad != null) {
      return nonFinite(bad, iteration, epoch, lr, loss[0], norm, events);
    }
    optimizer.step(gradient, iteration, epoch, 2 * batch.pairs());
    objective.updateTerms(iteration, lr);
    return new IterationRecord(iteration, epoch, lr, loss[0].total(), loss[0].values(), loss[0].diagnostics(), norm,
        0, 0, false);
  }

  /** {@code onNonFinite: skip}: a skipped step's record; {@code stop}: the failure. */
  private IterationRecord nonFinite(String bad, long iteration, int epoch, double lr, Objective.Evaluation loss,
      double norm, Events events) {
    if (!"skip".equals(config.onNonFinite)) {
      throw new NonFiniteException(bad, iteration, "the value or gradient");
    }
    events.log(Level.WARNING, "skipping batch at iteration " + iteration + ": " + bad + " is not finite");
    return new IterationRecord(iteration, epoch, lr, Double.NaN, loss.values(), loss.diagnostics(), norm, 0, 0, true);
  }
}
