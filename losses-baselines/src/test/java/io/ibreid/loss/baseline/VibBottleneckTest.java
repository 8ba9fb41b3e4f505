package io.ibreid.loss.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.OutputKey;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.testing.GradientChecks;
import io.ibreid.core.testing.TinyGraphs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The Gaussian bottleneck in a real graph: reparameterisation, z = μ at inference, save/restore, gradients. */
class VibBottleneckTest {
  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static ReidModel model(BranchRole... roles) {
    VibBottleneck.Params p = new VibBottleneck.Params();
    p.dim = 4;
    p.hidden = new int[] {5};
    p.initLogVar = -1;
    return TinyGraphs.model(() -> new VibBottleneck(p), roles);
  }

  @Test
  void trainingPassIsMuPlusSigmaTimesTheFedNoiseAndInferenceIsMu() {
    ReidModel model = model(BranchRole.VISIBLE);
    assertThat(model.outputs()).contains("visible.mu", "visible.logvar", "visible.z");
    CrossModalBatch batch = TinyGraphs.batch();
    INDArray[] inputs = model.inputs(model.wire(batch), TinyGraphs.NOISE_SEED);
    assertThat(inputs).hasSize(2); // the image and the noise input
    INDArray eps = inputs[1];
    assertThat(eps.shape()).containsExactly(batch.pairs(), 4);
    Map<String, INDArray> out = TinyGraphs.outputs(model, batch);
    INDArray expected = out.get("visible.mu").add(Transforms.exp(out.get("visible.logvar").mul(0.5)).muli(eps));
    assertThat(out.get("visible.z").sub(expected).amaxNumber().doubleValue()).isLessThan(1e-12);
    assertThat(out.get("visible.z").sub(out.get("visible.mu")).amaxNumber().doubleValue()).isGreaterThan(1e-3);

    Map<String, INDArray> test = model.infer(BranchRole.VISIBLE, batch.visible(), List.of("z", "mu"));
    assertThat(test.get("z")).isEqualTo(test.get("mu"));
  }

  @Test
  void savedGraphRestoresWithPlainDl4jAndGivesTheSameOutputs(@TempDir Path dir) throws Exception {
    ReidModel model = model(BranchRole.SHARED);
    CrossModalBatch batch = TinyGraphs.batch();
    INDArray[] inputs = model.inputs(model.wire(batch), 3);
    Path zip = dir.resolve("model.zip");
    model.save(zip);
    assertThat(Files.size(zip)).isGreaterThan(0);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(zip.toFile(), true);
    INDArray[] a = model.graph().output(false, inputs);
    INDArray[] b = restored.output(false, inputs);
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.length; i++) {
      assertThat(b[i]).as(model.outputs().get(i)).isEqualTo(a[i]);
    }
    assertThat(restored.getConfiguration().toJson()).contains(HalfExpActivation.class.getName());
    ReidModel fresh = model(BranchRole.SHARED);
    fresh.load(zip);
    assertThat(fresh.graph().params()).isEqualTo(model.graph().params());
  }

  @Test
  void gradientThroughTheReparameterisationMatchesFiniteDifferences() {
    ReidModel model = model(BranchRole.SHARED);
    CrossModalBatch batch = TinyGraphs.batch();
    Map<String, String> keys = new VibLoss.Factory().defaultInputs("shared", new VibLoss.Params());
    Objective objective = new Objective(model, List.of(
        new Objective.BoundTerm("ce", 1.0, new CrossEntropyLoss(0.1), List.of(Slot.differentiable("logits", "")),
            Map.of("logits", OutputKey.parse("shared.z_logits", "ce"))),
        new Objective.BoundTerm("vib", 1.0, new VibLoss(0.2), VibLossTest.SLOTS,
            Map.of("mu", OutputKey.parse(keys.get("mu"), "vib"), "logvar", OutputKey.parse(keys.get("logvar"), "vib")))),
        1);
    GradientChecks.Report r = GradientChecks.checkModel(model, objective, batch, 1e-6, 4, 7);
    assertThat(r.checked()).isGreaterThan(50);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
    Map<String, INDArray> g = TinyGraphs.gradient(model, objective, batch);
    assertThat(g).containsKeys("shared/ib_mu_W", "shared/ib_logvar_W");
    assertThat(g.get("shared/ib_logvar_W").amaxNumber().doubleValue()).isGreaterThan(1e-8);
  }

  /**
   * The memory check before training reads DL4J's report with the noise input as a feed-forward input (it once passed
   * every input as an image, and DL4J refused the vib bottleneck's mu + sigma * eps vertex).
   */
  @Test
  void theMemoryCheckReadsTheNoiseInputAsNoise() {
    ReidModel model = model(BranchRole.SHARED);
    org.deeplearning4j.nn.conf.inputs.InputType[] types = model.inputTypes(16, 8);
    assertThat(types).hasSize(2);
    assertThat(types[1]).isEqualTo(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(4));
    long bytes = model.graph().getConfiguration().getMemoryReport(types).getTotalMemoryBytes(4,
        org.deeplearning4j.nn.conf.memory.MemoryUseMode.TRAINING, org.deeplearning4j.nn.conf.CacheMode.NONE,
        DataType.DOUBLE);
    assertThat(bytes).isPositive();
  }
}
