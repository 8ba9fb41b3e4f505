package io.ibreid.core.testing;

import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.branch.Branch;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.LossInput;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.observation.SmallResNetEncoder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Small double-precision branch graphs and helpers for the loss plug-ins' gradient tests through the model (shared
 * by the losses modules through this module's test jar).
 */
public final class TinyGraphs {
  public static final ImageShape SHAPE = ImageShape.rgb(8, 4);
  public static final int CLASSES = 3;
  /** The noise seed {@link GradientChecks#checkModel} feeds; the same here, so captured outputs match its pass. */
  public static final long NOISE_SEED = GradientChecks.NOISE_SEED;

  private TinyGraphs() {}

  public static ReidModel model(BranchRole... roles) {
    MlpBottleneck.Params b = new MlpBottleneck.Params();
    b.dim = 4;
    b.hidden = new int[] {5};
    return model(() -> new MlpBottleneck(b), roles);
  }

  /** A tiny model whose branches use bottlenecks from {@code bottleneck}. */
  public static ReidModel model(java.util.function.Supplier<io.ibreid.core.bottleneck.Bottleneck> bottleneck,
      BranchRole... roles) {
    return model(io.ibreid.core.branch.Wiring.PAPER, bottleneck, roles);
  }

  /** A tiny model with the given wiring. */
  public static ReidModel model(io.ibreid.core.branch.Wiring wiring,
      java.util.function.Supplier<io.ibreid.core.bottleneck.Bottleneck> bottleneck, BranchRole... roles) {
    SmallResNetEncoder.Params e = new SmallResNetEncoder.Params();
    e.width = 3;
    e.stages = new int[] {1, 1};
    e.observationSize = 6;
    List<Branch> branches = Arrays.stream(roles)
        .map(r -> new Branch(r, new SmallResNetEncoder(e), bottleneck.get())).toList();
    return ReidModel.build(branches, SHAPE, CLASSES,
        new ReidModel.Options(7, DataType.DOUBLE, WorkspaceMode.ENABLED), wiring);
  }

  public static CrossModalBatch batch() {
    TinyTrainingSet data = new TinyTrainingSet(CLASSES, SHAPE, 3, 2, 1, 5, 0.5);
    CrossModalBatch b = data.batch(0, 0);
    return new CrossModalBatch(b.visible().castTo(DataType.DOUBLE), b.visibleLabels(),
        b.infrared().castTo(DataType.DOUBLE), b.infraredLabels());
  }

  /** The graph outputs of one training-mode forward pass, by name ({@code visible.v_logits}, ...). */
  public static Map<String, INDArray> outputs(ReidModel model, CrossModalBatch batch) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    model.forwardBackward(model.wire(batch), NOISE_SEED, outs -> {
      INDArray[] zeros = new INDArray[outs.length];
      for (int i = 0; i < outs.length; i++) {
        out.put(model.outputs().get(i), outs[i].dup());
        zeros[i] = outs[i].ulike().assign(0);
      }
      return zeros;
    });
    return out;
  }

  /** dTotal/dParameter for every trainable parameter (BatchNorm running statistics left out), copied. */
  public static Map<String, INDArray> gradient(ReidModel model, Objective objective, CrossModalBatch data) {
    Map<String, INDArray> g = new LinkedHashMap<>();
    io.ibreid.core.branch.WiredBatch batch = model.wire(data);
    model.forwardBackward(batch, NOISE_SEED, outs -> objective.evaluate(outs, batch, 0).errors())
        .gradientForVariable().forEach((k, v) -> {
          if (!k.endsWith("_mean") && !k.endsWith("_var") && !k.endsWith("_log10stdev")) {
            g.put(k, v.dup());
          }
        });
    return g;
  }

  /**
   * The same term with some slots replaced by constant arrays: the stop-gradient semantics made literal, so its
   * true derivative (which finite differences measure) is what the stop-gradient term must return.
   */
  public static LossTerm frozen(LossTerm term, Map<String, INDArray> constants) {
    return new LossTerm() {
      @Override
      public LossResult compute(LossInput input) {
        return term.compute(new LossInput() {
          @Override
          public INDArray get(String slot) {
            INDArray c = constants.get(slot);
            return c != null ? c : input.get(slot);
          }

          @Override
          public int[] labels(String slot) {
            return input.labels(slot);
          }

          @Override
          public long iteration() {
            return input.iteration();
          }

          @Override
          public Random random() {
            return input.random();
          }
        });
      }
    };
  }
}
