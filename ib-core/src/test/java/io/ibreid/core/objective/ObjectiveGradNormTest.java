package io.ibreid.core.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.OutputKey;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.WiredBatch;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.testing.GradientChecks;
import io.ibreid.core.testing.TinyGraphs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every term's weighted gradient norm is a diagnostic beside its value, computed by hand here. */
class ObjectiveGradNormTest {
  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @Test
  void gradNormIsTheWeightTimesTheNormOfTheTermsGradients() {
    ReidModel model = TinyGraphs.model(BranchRole.SHARED);
    CrossModalBatch batch = TinyGraphs.batch();
    Objective o = new Objective(model, List.of(
        new Objective.BoundTerm("ce_v", 0.5, new CrossEntropyLoss(0.1), List.of(Slot.differentiable("logits", "")),
            Map.of("logits", OutputKey.parse("shared.v_logits", "ce"))),
        new Objective.BoundTerm("ce_z", 0.0, new CrossEntropyLoss(0.1), List.of(Slot.differentiable("logits", "")),
            Map.of("logits", OutputKey.parse("shared.z_logits", "ce")))), 1);
    WiredBatch wired = model.wire(batch);
    Objective.Evaluation[] e = new Objective.Evaluation[1];
    INDArray[] logits = new INDArray[1];
    model.forwardBackward(wired, TinyGraphs.NOISE_SEED, outs -> {
      e[0] = o.evaluate(outs, wired, 0);
      logits[0] = outs[model.outputIndex(BranchRole.SHARED, "v_logits")].dup();
      return e[0].errors();
    });
    LossResult alone = new CrossEntropyLoss(0.1).compute(GradientChecks.input(Map.of("logits", logits[0]),
        Map.of("logits", wired.rows(OutputKey.parse("shared.v_logits", "ce")).labels()), 0));
    double want = 0.5 * alone.gradients().get("logits").norm2Number().doubleValue();
    assertThat(want).isGreaterThan(0);
    assertThat(e[0].diagnostics().get("ce_v.gradNorm")).isCloseTo(want, within(1e-12));
    // a term weighted 0 pushes nothing
    assertThat(e[0].diagnostics().get("ce_z.gradNorm")).isZero();
  }
}
