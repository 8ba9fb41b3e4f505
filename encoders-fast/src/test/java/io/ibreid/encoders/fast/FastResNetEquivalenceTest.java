package io.ibreid.encoders.fast;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.branch.Branch;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.observation.Encoder;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.observation.SmallResNetEncoder;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused trunk computes exactly what ib-core's {@code small-resnet} computes with the same weights (training and
 * inference mode, double precision), and its kernel layouts are interchangeable: the same weights in another layout
 * give the same outputs and the same (re-laid-out) gradients.
 */
class FastResNetEquivalenceTest {
  static final ImageShape SHAPE = ImageShape.rgb(12, 6);

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static ReidModel model(Encoder e) {
    MlpBottleneck.Params b = new MlpBottleneck.Params();
    b.dim = 4;
    b.hidden = new int[] {5};
    return ReidModel.build(List.of(new Branch(BranchRole.VISIBLE, e, new MlpBottleneck(b))), SHAPE, 3,
        new ReidModel.Options(11, DataType.DOUBLE, WorkspaceMode.ENABLED));
  }

  static FastResNetEncoder.Params fast(String format, String weights) {
    FastResNetEncoder.Params p = new FastResNetEncoder.Params();
    p.width = 3;
    p.stages = new int[] {2, 1};
    p.observationSize = 5;
    p.dataFormat = format;
    p.weightsFormat = weights;
    return p;
  }

  /** Small-resnet vertex names of a fused unit. */
  static String[] dl4jNames(String unit) {
    if (unit.equals("stem") || unit.equals("expand")) {
      return new String[] {unit + "_conv", unit + "_bn"};
    }
    String block = unit.substring(0, 4);
    String part = unit.substring(4);
    return part.equals("down") ? new String[] {block + "_down", block + "_down_bn"}
        : new String[] {block + "_" + part + "_conv", block + "_" + part + "_bn"};
  }

  static INDArray relayout(INDArray oiyx, String to) {
    return switch (to) {
      case "OIYX" -> oiyx;
      case "OYXI" -> oiyx.permute(0, 2, 3, 1);
      case "YXIO" -> oiyx.permute(2, 3, 1, 0);
      default -> throw new IllegalArgumentException(to);
    };
  }

  static INDArray toOiyx(INDArray w, String from) {
    return switch (from) {
      case "OIYX" -> w;
      case "OYXI" -> w.permute(0, 3, 1, 2);
      case "YXIO" -> w.permute(3, 2, 0, 1);
      default -> throw new IllegalArgumentException(from);
    };
  }

  @Test
  void matchesSmallResNetWithTheSameWeights() {
    SmallResNetEncoder.Params sp = new SmallResNetEncoder.Params();
    sp.width = 3;
    sp.stages = new int[] {2, 1};
    sp.observationSize = 5;
    ReidModel reference = model(new SmallResNetEncoder(sp));
    FastResNetEncoder.Params fp = fast("NHWC", "OYXI");
    ReidModel fused = model(new FastResNetEncoder(fp));
    Map<String, INDArray> ref = reference.graph().paramTable();
    Map<String, INDArray> mine = fused.graph().paramTable();
    Nd4j.getRandom().setSeed(3);
    TrunkLayer conf = (TrunkLayer) fused.graph().getLayer("visible/trunk").conf().getLayer();
    for (ConvUnit u : conf.plan().units()) {
      String[] n = dl4jNames(u.name());
      mine.get("visible/trunk_" + u.name() + "W").assign(relayout(ref.get("visible/" + n[0] + "_W"), "OYXI"));
      // Non-trivial BN parameters and running statistics, set on both sides.
      for (String[] k : new String[][] {{"Gamma", "gamma"}, {"Beta", "beta"}, {"Mean", "mean"}, {"Var", "var"}}) {
        INDArray value = Nd4j.rand(DataType.DOUBLE, u.outChannels()).muli(0.5).addi(k[0].equals("Beta")
            || k[0].equals("Mean") ? -0.25 : 0.75);
        mine.get("visible/trunk_" + u.name() + k[0]).assign(value);
        String key = "visible/" + n[1] + "_" + k[1];
        if (k[1].equals("var") && !ref.containsKey(key)) {
          // DL4J keeps log10 of the standard deviation by default (and adds eps to its square at inference).
          value = org.nd4j.linalg.ops.transforms.Transforms.log(
              org.nd4j.linalg.ops.transforms.Transforms.sqrt(value), 10);
          key = "visible/" + n[1] + "_log10stdev";
        }
        ref.get(key).assign(value);
      }
    }
    for (Map.Entry<String, INDArray> e : ref.entrySet()) {
      if (e.getKey().startsWith("visible/ib_") || e.getKey().startsWith("visible/head_")) {
        mine.get(e.getKey()).assign(e.getValue());
      }
    }
    INDArray images = Nd4j.rand(DataType.DOUBLE, SHAPE.batchShape(4));
    INDArray vRef = reference.infer(BranchRole.VISIBLE, images, List.of("v")).get("v");
    INDArray vFused = fused.infer(BranchRole.VISIBLE, images, List.of("v")).get("v");
    assertThat(vFused.shape()).containsExactly(4, 5);
    assertThat(maxAbsDiff(vRef, vFused)).isLessThan(1e-10);
    // Training mode (batch statistics) and the gradient of a fixed external error, parameter by parameter.
    INDArray[] in = {images};
    INDArray[][] errors = new INDArray[1][];
    Gradient gRef = reference.graph().forwardBackward(in, outs -> errors[0] = randomErrors(outs));
    Map<String, INDArray> refGrads = copy(gRef);
    Gradient gFused = fused.graph().forwardBackward(in, outs -> errors[0]);
    Map<String, INDArray> fusedGrads = copy(gFused);
    for (ConvUnit u : conf.plan().units()) {
      String[] n = dl4jNames(u.name());
      assertThat(maxAbsDiff(toOiyx(fusedGrads.get("visible/trunk_" + u.name() + "W"), "OYXI"),
          refGrads.get("visible/" + n[0] + "_W"))).as(u.name()).isLessThan(1e-10);
      assertThat(maxAbsDiff(fusedGrads.get("visible/trunk_" + u.name() + "Gamma"),
          refGrads.get("visible/" + n[1] + "_gamma"))).as(u.name()).isLessThan(1e-10);
      assertThat(maxAbsDiff(fusedGrads.get("visible/trunk_" + u.name() + "Beta"),
          refGrads.get("visible/" + n[1] + "_beta"))).as(u.name()).isLessThan(1e-10);
    }
    assertThat(maxAbsDiff(fusedGrads.get("visible/head_v_W"), refGrads.get("visible/head_v_W"))).isLessThan(1e-10);
  }

  @Test
  void everyLayoutGivesTheSameOutputsAndGradients() {
    ReidModel base = model(new FastResNetEncoder(fast("NHWC", "OYXI")));
    Map<String, INDArray> initial = new java.util.LinkedHashMap<>();
    base.graph().paramTable().forEach((k, v) -> initial.put(k, v.dup()));
    INDArray images = Nd4j.rand(DataType.DOUBLE, SHAPE.batchShape(3));
    INDArray[][] errors = new INDArray[1][];
    Map<String, INDArray> baseGrads = copy(base.graph().forwardBackward(new INDArray[] {images},
        outs -> errors[0] = randomErrors(outs)));
    INDArray baseV = base.infer(BranchRole.VISIBLE, images, List.of("v")).get("v");
    for (String[] layout : new String[][] {{"NHWC", "YXIO"}, {"NHWC", "OIYX"}, {"NCHW", "OIYX"}, {"NCHW", "OYXI"}}) {
      ReidModel other = model(new FastResNetEncoder(fast(layout[0], layout[1])));
      Map<String, INDArray> from = initial;
      Map<String, INDArray> to = other.graph().paramTable();
      for (Map.Entry<String, INDArray> e : from.entrySet()) {
        INDArray v = e.getValue();
        if (e.getKey().startsWith("visible/trunk_") && e.getKey().endsWith("W")) {
          v = relayout(toOiyx(v, "OYXI"), layout[1]);
        }
        to.get(e.getKey()).assign(v);
      }
      Map<String, INDArray> grads = copy(other.graph().forwardBackward(new INDArray[] {images}, outs -> errors[0]));
      for (Map.Entry<String, INDArray> e : baseGrads.entrySet()) {
        INDArray g = grads.get(e.getKey());
        INDArray expected = e.getValue();
        if (e.getKey().startsWith("visible/trunk_") && e.getKey().endsWith("W")) {
          g = toOiyx(g, layout[1]);
          expected = toOiyx(expected, "OYXI");
        }
        // NCHW runs libnd4j's batchnorm_bp, whose rounding differs from the NHWC path's at ~1e-9 (relative).
        assertThat(maxAbsDiff(g, expected)).as(String.join("/", layout) + " " + e.getKey()).isLessThan(1e-7);
      }
      INDArray v = other.infer(BranchRole.VISIBLE, images, List.of("v")).get("v");
      assertThat(maxAbsDiff(v, baseV)).as(String.join("/", layout)).isLessThan(1e-7);
    }
  }

  static INDArray[] randomErrors(INDArray[] outs) {
    return randomErrors(outs, DataType.DOUBLE);
  }

  /** Fixed standard-normal errors (seed 5) of {@code type} for every output. */
  static INDArray[] randomErrors(INDArray[] outs, DataType type) {
    Nd4j.getRandom().setSeed(5);
    INDArray[] e = new INDArray[outs.length];
    for (int i = 0; i < outs.length; i++) {
      e[i] = Nd4j.randn(type, outs[i].shape());
    }
    return e;
  }

  static Map<String, INDArray> copy(Gradient g) {
    Map<String, INDArray> m = new java.util.LinkedHashMap<>();
    g.gradientForVariable().forEach((k, v) -> m.put(k, v.dup()));
    return m;
  }

  /** max |a − b| relative to max |b| (or absolute when b is all zero). */
  static double maxAbsDiff(INDArray a, INDArray b) {
    assertThat(a.shape()).containsExactly(b.shape());
    double diff = a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    double scale = b.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
    return scale > 0 ? diff / scale : diff;
  }
}
