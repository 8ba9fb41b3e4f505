package io.ibreid.loss.crossview;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * VCD and VML through the shared branch (one encoder + bottleneck for both views, rows visible-then-infrared) in
 * double precision. VCD's stop-gradient is proven as for VSD: its gradient equals that of the same objective with
 * both teachers replaced by constants recorded at the current parameters, that constant-teacher objective passes a
 * finite-difference check, and VCD alone gives the observation classifier exactly zero gradient. VML has no
 * stop-gradient, so the live objective itself must pass the finite-difference check.
 */
class CrossViewModelGradientTest {
  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  private static Objective.BoundTerm bound(String label, double weight, LossTerm term, List<Slot> slots,
      Map<String, String> keys) {
    Map<String, OutputKey> inputs = new LinkedHashMap<>();
    keys.forEach((slot, key) -> inputs.put(slot, OutputKey.parse(key, label)));
    return new Objective.BoundTerm(label, weight, term, slots, inputs);
  }

  private static Objective.BoundTerm vcd(LossTerm term) {
    return bound("vcd", 1.5, term, VariationalCrossDistillationTest.SLOTS, new VariationalCrossDistillation.Factory()
        .defaultInputs("shared", new VariationalCrossDistillation.Params()));
  }

  private static Objective.BoundTerm vml() {
    return bound("vml", 2.0, new VariationalMutualLearning(), VariationalMutualLearningTest.SLOTS,
        new VariationalMutualLearning.Factory().defaultInputs("shared", new VariationalMutualLearning.Params()));
  }

  private static Objective.BoundTerm ce(String key) {
    return bound("ce_" + key, 0.5, new CrossEntropyLoss(0.1), List.of(Slot.differentiable("logits", "")),
        Map.of("logits", key));
  }

  @Test
  void vcdStopGradientIsTheExactDerivativeWithBothTeachersHeldFixed() {
    ReidModel model = TinyGraphs.model(BranchRole.SHARED);
    CrossModalBatch batch = TinyGraphs.batch();
    int m = batch.pairs();
    INDArray vLogits = TinyGraphs.outputs(model, batch).get("shared.v_logits");
    Map<String, INDArray> teachers = Map.of(
        "v1", vLogits.get(NDArrayIndex.interval(0, m), NDArrayIndex.all()).dup(),
        "v2", vLogits.get(NDArrayIndex.interval(m, 2 * m), NDArrayIndex.all()).dup());
    VariationalCrossDistillation term = new VariationalCrossDistillation(1.0);
    Objective live = new Objective(model, List.of(ce("shared.z_logits"), ce("shared.v_logits"), vcd(term)), 1);
    Objective fixed = new Objective(model, List.of(ce("shared.z_logits"), ce("shared.v_logits"),
        vcd(TinyGraphs.frozen(term, teachers))), 1);

    Map<String, INDArray> gLive = TinyGraphs.gradient(model, live, batch);
    Map<String, INDArray> gFixed = TinyGraphs.gradient(model, fixed, batch);
    gLive.forEach((k, g) -> assertThat(g.sub(gFixed.get(k)).amaxNumber().doubleValue()).as(k).isLessThan(1e-13));

    GradientChecks.Report r = GradientChecks.checkModel(model, fixed, batch, 1e-6, 3, 3);
    assertThat(r.checked()).isGreaterThan(40);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);

    Map<String, INDArray> only = TinyGraphs.gradient(model, new Objective(model, List.of(vcd(term)), 1), batch);
    assertThat(only.entrySet()).filteredOn(e -> e.getKey().startsWith("shared/head_v")).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getValue().amaxNumber().doubleValue()).as(e.getKey()).isEqualTo(0.0));
    assertThat(only.entrySet()).filteredOn(e -> e.getKey().startsWith("shared/head_z"))
        .allSatisfy(e -> assertThat(e.getValue().amaxNumber().doubleValue()).as(e.getKey()).isGreaterThan(1e-6));
  }

  @Test
  void vmlGradientThroughTheSharedBranchMatchesFiniteDifferences() {
    ReidModel model = TinyGraphs.model(BranchRole.SHARED);
    CrossModalBatch batch = TinyGraphs.batch();
    Objective objective = new Objective(model, List.of(ce("shared.z_logits"), vml()), 1);
    GradientChecks.Report r = GradientChecks.checkModel(model, objective, batch, 1e-6, 3, 5);
    assertThat(r.checked()).isGreaterThan(40);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
    // VML alone moves the representation classifier and leaves the observation classifier alone (not on its path).
    Map<String, INDArray> only = TinyGraphs.gradient(model, new Objective(model, List.of(vml()), 1), batch);
    assertThat(only.entrySet()).filteredOn(e -> e.getKey().startsWith("shared/head_z")).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getValue().amaxNumber().doubleValue()).as(e.getKey()).isGreaterThan(1e-8));
  }
}
