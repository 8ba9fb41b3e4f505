package io.ibreid.ablation;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.train.IterationRecord;
import io.ibreid.core.train.Trainer;
import io.ibreid.core.train.TrainerListener;
import io.ibreid.core.train.TrainingModule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Issue 26's question about {@code full} − {@code crossview}: is the shared branch of the three-branch model trained
 * exactly as the shared branch alone is? Two configs (a "reference" with only the shared branch and a "coupled" one
 * with more branches) are built for the same data, seed and batches through the public training wiring
 * ({@link TrainingModule}, {@link Trainer}); the reference's initial shared-branch parameters (weights and batch-norm
 * statistics, every {@code shared/} entry of the parameter table) are copied into the coupled model; both train for
 * the same steps; after chosen steps the largest difference of the shared parameters is recorded: absolute, and
 * relative to the largest magnitude of the same parameter array. When no loss couples the branches and nothing else
 * does (the optimiser's updates are per element), the differences stay at rounding; a coupling shows at the first
 * step at the size of a gradient step.
 */
public final class SharedTrajectory {
  /** The pre-registered bound (docs/ablation-v3/design.md §9): "the same to rounding". */
  public static final double SAME_TO_ROUNDING = 1e-5;
  private static final String SHARED = "shared/";

  /**
   * The difference after one recorded step.
   *
   * @param step training steps done (1 = after the first update)
   * @param maxAbs the largest |Δ| over every shared parameter
   * @param maxRel the largest over parameter arrays of max|Δ| / max|θ_reference|
   * @param worst the parameter array of {@code maxRel}
   */
  public record Step(int step, double maxAbs, double maxRel, String worst) {}

  /**
   * The outcome: the shared parameters compared; the difference of the two models' gradients of the shared
   * parameters on the first batch from the same parameters, before any update ({@code gradient}, step 0: a loss that
   * couples the branches shows there at the size of a gradient, rounding at ~1e-7); the recorded steps; whether the
   * last step's relative difference is within {@link #SAME_TO_ROUNDING}.
   */
  public record Result(int steps, int parameters, Step gradient, List<Step> trace, boolean sameToRounding,
      String summary) {}

  private SharedTrajectory() {}

  /**
   * Trains {@code reference} and {@code coupled} for {@code steps} steps each (their schedules cut there) from the
   * same initial shared branch and compares after every step {@code record} accepts (and the last).
   */
  public static Result run(RunConfig reference, RunConfig coupled, int steps, Path workDir, IntPredicate record) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    if (reference.seed != coupled.seed) {
      throw new IbreidException("the two configs must share the seed (and so the batches): " + reference.seed + " vs "
          + coupled.seed);
    }
    Map<Integer, Map<String, double[]>> want = new LinkedHashMap<>();
    Map<String, double[]> start = train(reference, steps, workDir.resolve("reference"), null, record, want);
    List<Step> trace = new ArrayList<>();
    Map<Integer, Map<String, double[]>> got = new LinkedHashMap<>();
    train(coupled, steps, workDir.resolve("coupled"), start, record, got);
    Step gradient = compare(0, want.remove(0), got.remove(0));
    for (int s : new TreeSet<>(want.keySet())) {
      trace.add(compare(s, want.get(s), got.get(s)));
    }
    Step last = trace.get(trace.size() - 1);
    boolean same = last.maxRel() <= SAME_TO_ROUNDING;
    Step firstNonZero = trace.stream().filter(t -> t.maxAbs() > 0).findFirst().orElse(null);
    String summary = String.format(Locale.ROOT, "%s (%d branches) against %s (%d), %d shared parameters, the same "
        + "initial shared weights and batches: the gradients of the shared parameters on the first batch differ by "
        + "at most %.3g relative (%.3g absolute, %s); after %d steps the largest relative difference of a shared parameter "
        + "array is %.3g (absolute %.3g, %s); %s. %s", coupled.name, coupled.branches.size(), reference.name,
        reference.branches.size(), start.values().stream().mapToInt(a -> a.length).sum(), gradient.maxRel(),
        gradient.maxAbs(), gradient.worst(), last.step(), last.maxRel(),
        last.maxAbs(), last.worst(), same ? "the same to rounding (bound " + SAME_TO_ROUNDING + ")"
            : "NOT the same to rounding (bound " + SAME_TO_ROUNDING + ")",
        firstNonZero == null ? "Every recorded step was bit for bit equal."
            : String.format(Locale.ROOT, "The first recorded difference is after step %d: %.3g relative, %.3g "
                + "absolute (%s).", firstNonZero.step(), firstNonZero.maxRel(), firstNonZero.maxAbs(),
                firstNonZero.worst()));
    return new Result(steps, start.values().stream().mapToInt(a -> a.length).sum(), gradient, trace, same, summary);
  }

  /** Trains one config, optionally starting from {@code init}; returns its initial shared parameters. */
  private static Map<String, double[]> train(RunConfig config, int steps, Path dir, Map<String, double[]> init,
      IntPredicate record, Map<Integer, Map<String, double[]>> into) {
    RunConfig c = io.ibreid.core.config.ConfigLoader.parse(io.ibreid.core.config.ConfigLoader.toYaml(config),
        List.of("schedule.maxIterations=" + steps));
    Injector injector = Guice.createInjector(new TrainingModule(c, dir, Plugins.discover()));
    Trainer trainer = injector.getInstance(Trainer.class);
    Map<String, INDArray> table = trainer.model().graph().paramTable();
    if (init != null) {
      for (Map.Entry<String, double[]> e : init.entrySet()) {
        INDArray p = table.get(e.getKey());
        if (p == null || p.length() != e.getValue().length) {
          throw new IbreidException(config.name + " has no shared parameter [" + e.getKey() + "] of " + e.getValue()
              .length + " values: the two configs' shared branches differ");
        }
        p.assign(org.nd4j.linalg.factory.Nd4j.create(e.getValue(), p.shape(), 'c').castTo(p.dataType()));
      }
    }
    Map<String, double[]> start = shared(table);
    try (TrainingSet data = injector.getInstance(TrainingSet.class)) {
      // step 0: the shared parameters' gradient on the first batch, nothing updated (kept under key 0)
      io.ibreid.core.data.CrossModalBatch first = data.epoch(0, 0).next();
      io.ibreid.core.branch.ReidModel model = trainer.model();
      io.ibreid.core.objective.Objective objective = injector.getInstance(io.ibreid.core.objective.Objective.class);
      io.ibreid.core.branch.WiredBatch wired = model.wire(first);
      org.deeplearning4j.nn.gradient.Gradient g = model.forwardBackward(wired,
          io.ibreid.core.random.Seeds.derive(c.seed, 0, "noise"), outs -> objective.evaluate(outs, wired, 0).errors());
      into.put(0, shared(g.gradientForVariable()));
      int[] done = {0};
      trainer.train(false, new TrainerListener() {
        @Override
        public void onIteration(IterationRecord r) {
          done[0]++;
          if (record.test(done[0]) || done[0] == steps) {
            into.put(done[0], shared(trainer.model().graph().paramTable()));
          }
        }
      });
    }
    return start;
  }

  private static Map<String, double[]> shared(Map<String, INDArray> table) {
    Map<String, double[]> out = new LinkedHashMap<>();
    table.forEach((k, v) -> {
      if (k.startsWith(SHARED)) {
        out.put(k, v.castTo(DataType.DOUBLE).dup('c').data().asDouble());
      }
    });
    return out;
  }

  static Step compare(int step, Map<String, double[]> a, Map<String, double[]> b) {
    double maxAbs = 0;
    double maxRel = 0;
    String worst = "-";
    for (Map.Entry<String, double[]> e : a.entrySet()) {
      double[] x = e.getValue();
      double[] y = b.get(e.getKey());
      double scale = 0;
      double diff = 0;
      for (int i = 0; i < x.length; i++) {
        scale = Math.max(scale, Math.abs(x[i]));
        diff = Math.max(diff, Math.abs(x[i] - y[i]));
      }
      maxAbs = Math.max(maxAbs, diff);
      double rel = diff == 0 ? 0 : diff / Math.max(scale, 1e-12);
      if (rel > maxRel) {
        maxRel = rel;
        worst = e.getKey();
      }
    }
    return new Step(step, maxAbs, maxRel, worst);
  }
}
