package io.ibreid.core.testing;

import com.google.auto.service.AutoService;
import io.ibreid.core.data.DataContext;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import java.util.List;
import java.util.Map;

/**
 * Test-only plug-ins: the {@code tiny} in-memory data set, so configs can be trained end to end in tests, and the
 * {@code nan-at} loss, which turns NaN (or infinite) at chosen iterations, to exercise the non-finite guards.
 */
@AutoService(IbreidPlugin.class)
public final class TinyDatasetPlugin implements IbreidPlugin {
  /** Parameters of {@code tiny}. */
  public static final class Params {
    public int classes = 6;
    public int batches = 4;
    public double noise = 0.3;
  }

  /** Parameters of {@code nan-at}. */
  public static final class NanParams {
    /** Iterations at which the value (or, with gradientOnly, the gradient) is not finite. */
    public List<Integer> iterations = List.of();
    public boolean gradientOnly = false;
    /** Sleep this long per step (makes child processes easy to kill mid-run). */
    public int sleepMillis = 0;
  }

  @Override
  public List<PluginFactory<?>> factories() {
    return List.of(nanAt(), tiny());
  }

  private static LossFactory<NanParams> nanAt() {
    return new LossFactory<NanParams>() {
      @Override
      public String name() {
        return "nan-at";
      }

      @Override
      public String description() {
        return "test loss: mean of the inputs, NaN at chosen iterations (ib-core tests only)";
      }

      @Override
      public Class<NanParams> parametersType() {
        return NanParams.class;
      }

      @Override
      public List<Slot> slots(NanParams p) {
        return List.of(Slot.differentiable("x", "any output"));
      }

      @Override
      public Map<String, String> defaultInputs(String branch, NanParams p) {
        return Map.of("x", branch + ".z");
      }

      @Override
      public LossTerm create(NanParams p, LossContext c) {
        return input -> {
          if (p.sleepMillis > 0) {
            try {
              Thread.sleep(p.sleepMillis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          var x = input.get("x");
          boolean bad = p.iterations.contains((int) input.iteration());
          var g = x.ulike().assign(1.0 / x.length());
          if (bad && p.gradientOnly) {
            g.putScalar(0, Double.POSITIVE_INFINITY);
          }
          double v = bad && !p.gradientOnly ? Double.NaN : x.meanNumber().doubleValue();
          return LossResult.of(v, Map.of("x", g));
        };
      }
    };
  }

  private static DatasetFactory<Params> tiny() {
    return new DatasetFactory<Params>() {
      @Override
      public String name() {
        return "tiny";
      }

      @Override
      public String description() {
        return "in-memory test data (ib-core tests only)";
      }

      @Override
      public Class<Params> parametersType() {
        return Params.class;
      }

      @Override
      public TrainingSet open(Params p, DataContext c) {
        return new TinyTrainingSet(p.classes, c.imageShape(), c.identitiesPerBatch(), c.imagesPerIdentity() / 2,
            p.batches, c.seed(), p.noise);
      }
    };
  }
}
