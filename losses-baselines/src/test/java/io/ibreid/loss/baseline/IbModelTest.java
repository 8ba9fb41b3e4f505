package io.ibreid.loss.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.OutputKey;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.WiredBatch;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.run.Checkpoints;
import io.ibreid.core.run.TrainingState;
import io.ibreid.core.testing.GradientChecks;
import io.ibreid.core.testing.TinyGraphs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The classic-IB term in a branch graph: with the critic held fixed during a step, β·∂B/∂v and β·∂B/∂z reach the
 * encoder and bottleneck exactly (finite differences through the graph), and the critic's state rides along in a
 * real checkpoint on disk.
 */
class IbModelTest {
  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static Objective objective(ReidModel model, String estimator) {
    ClassicIbLoss.Params p = new ClassicIbLoss.Params();
    p.estimator = estimator;
    p.hidden = 8;
    p.beta = 0.5;
    Map<String, OutputKey> inputs = new LinkedHashMap<>();
    new ClassicIbLoss.Factory().defaultInputs("visible", p).forEach((k, v) -> inputs.put(k, OutputKey.parse(v, k)));
    Objective.BoundTerm ib = new Objective.BoundTerm("ib_visible", 1.0,
        new ClassicIbLoss(p, model.outputWidths().get("visible.v"), model.outputWidths().get("visible.z"), 3,
            "ib_visible"),
        ClassicIbLossTest.SLOTS, inputs);
    Objective.BoundTerm ce = new Objective.BoundTerm("ce_v", 1.0, new CrossEntropyLoss(0.1),
        List.of(Slot.differentiable("logits", "")), Map.of("logits", OutputKey.parse("visible.v_logits", "ce")));
    return new Objective(model, List.of(ce, ib), 1);
  }

  @Test
  void miGradientReachesEncoderAndBottleneckExactly() {
    ReidModel model = TinyGraphs.model(BranchRole.VISIBLE);
    CrossModalBatch batch = TinyGraphs.batch();
    for (String estimator : new String[] {"jsd"}) { // every bound is checked term-level in ClassicIbLossTest
      GradientChecks.Report r = GradientChecks.checkModel(model, objective(model, estimator), batch, 1e-6, 3, 9);
      assertThat(r.checked()).isGreaterThan(40);
      assertThat(r.maxRelativeError()).as(estimator + ": " + r.worst()).isLessThan(1e-5);
    }
  }

  @Test
  void criticStateIsCheckpointedAndRestoredFromDisk(@TempDir Path dir) {
    ReidModel model = TinyGraphs.model(BranchRole.VISIBLE);
    WiredBatch batch = model.wire(TinyGraphs.batch());
    Objective trained = objective(model, "jsd");
    for (int i = 0; i < 4; i++) {
      long it = i;
      model.forwardBackward(batch, i, outs -> trained.evaluate(outs, batch, it).errors());
      trained.updateTerms(i, 1e-3);
    }
    Path ckpt = new Checkpoints(dir, 2).save(new TrainingState(0, 4, 4), model, trained, Map.of());
    Objective fresh = objective(model, "jsd");
    Map<String, INDArray> before = fresh.terms().get(1).term().state();
    assertThat(before.get("adam.step").getDouble(0)).isEqualTo(0.0);
    Checkpoints.restore(ckpt, model, fresh);
    Map<String, INDArray> want = trained.terms().get(1).term().state();
    Map<String, INDArray> got = fresh.terms().get(1).term().state();
    assertThat(got.keySet()).isEqualTo(want.keySet());
    want.forEach((k, v) -> assertThat(got.get(k)).as(k).isEqualTo(v));
    assertThat(got.get("adam.step").getDouble(0)).isEqualTo(4.0);
  }
}
