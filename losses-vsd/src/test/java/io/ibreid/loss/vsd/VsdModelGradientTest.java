package io.ibreid.loss.vsd;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.OutputKey;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.testing.GradientChecks;
import io.ibreid.core.testing.TinyGraphs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * VSD through a whole branch (encoder + bottleneck + both classifiers) in double precision. The proof that the
 * stop-gradient is right has three parts: (1) the gradient of the objective with VSD equals, parameter by
 * parameter, the gradient of the same objective in which the teacher logits are replaced by constants recorded at
 * the current parameters; (2) that constant-teacher objective passes a finite-difference check, so the gradient is
 * the exact derivative with the teacher held fixed; (3) VSD alone sends exactly zero gradient to the observation
 * classifier (the only parameters that reach p(y|v) but not p(y|z)) and a non-zero one to everything on the z path.
 */
class VsdModelGradientTest {
  private static final List<Slot> SLOTS = new VariationalSelfDistillation.Factory()
      .slots(new VariationalSelfDistillation.Params());

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  private static Objective.BoundTerm vsd(LossTerm term, String branch) {
    return new Objective.BoundTerm("vsd_" + branch, 2.0, term, SLOTS, Map.of(
        "v_logits", OutputKey.parse(branch + ".v_logits", "test"),
        "z_logits", OutputKey.parse(branch + ".z_logits", "test")));
  }

  private static Objective.BoundTerm ce(String key) {
    return new Objective.BoundTerm("ce_" + key, 0.5, new CrossEntropyLoss(0.1),
        List.of(Slot.differentiable("logits", "")), Map.of("logits", OutputKey.parse(key, "test")));
  }

  @Test
  void stopGradientIsTheExactDerivativeWithTheTeacherHeldFixed() {
    ReidModel model = TinyGraphs.model(BranchRole.VISIBLE);
    CrossModalBatch batch = TinyGraphs.batch();
    VariationalSelfDistillation term = new VariationalSelfDistillation(2.0);
    INDArray teacher = TinyGraphs.outputs(model, batch).get("visible.v_logits");

    Objective live = new Objective(model, List.of(ce("visible.v_logits"), ce("visible.z_logits"),
        vsd(term, "visible")), 1);
    Objective fixed = new Objective(model, List.of(ce("visible.v_logits"), ce("visible.z_logits"),
        vsd(TinyGraphs.frozen(term, Map.of("v_logits", teacher)), "visible")), 1);

    Map<String, INDArray> gLive = TinyGraphs.gradient(model, live, batch);
    Map<String, INDArray> gFixed = TinyGraphs.gradient(model, fixed, batch);
    assertThat(gLive.keySet()).isEqualTo(gFixed.keySet());
    gLive.forEach((k, g) -> assertThat(g.sub(gFixed.get(k)).amaxNumber().doubleValue()).as(k).isLessThan(1e-13));

    GradientChecks.Report r = GradientChecks.checkModel(model, fixed, batch, 1e-6, 3, 3);
    assertThat(r.checked()).isGreaterThan(40);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
  }

  @Test
  void vsdAloneReachesTheZPathButNotTheObservationClassifier() {
    ReidModel model = TinyGraphs.model(BranchRole.VISIBLE);
    CrossModalBatch batch = TinyGraphs.batch();
    Objective only = new Objective(model, List.of(vsd(new VariationalSelfDistillation(1.0), "visible")), 1);
    Map<String, INDArray> g = TinyGraphs.gradient(model, only, batch);
    double headV = 0;
    double headZ = 0;
    double bottleneck = 0;
    double encoder = 0;
    for (Map.Entry<String, INDArray> e : g.entrySet()) {
      double a = e.getValue().amaxNumber().doubleValue();
      String k = e.getKey();
      if (k.startsWith("visible/head_v")) {
        headV = Math.max(headV, a);
      } else if (k.startsWith("visible/head_z")) {
        headZ = Math.max(headZ, a);
      } else if (k.startsWith("visible/ib_")) {
        bottleneck = Math.max(bottleneck, a);
      } else {
        encoder = Math.max(encoder, a);
      }
    }
    assertThat(g.keySet()).anyMatch(k -> k.startsWith("visible/head_v"));
    assertThat(headV).isEqualTo(0.0);
    assertThat(headZ).isGreaterThan(1e-6);
    assertThat(bottleneck).isGreaterThan(1e-8);
    assertThat(encoder).isGreaterThan(1e-10);
  }
}
