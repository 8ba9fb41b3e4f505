package io.ibreid.loss.crossview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.core.ConfigException;
import io.ibreid.core.IbreidException;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.testing.GradientChecks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** VCD values against hand-computed KL divergences; its gradient against finite differences. */
class VariationalCrossDistillationTest {
  static final List<Slot> SLOTS = new VariationalCrossDistillation.Factory()
      .slots(new VariationalCrossDistillation.Params());

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static INDArray logits(double... probabilities) {
    double[] l = new double[probabilities.length];
    for (int k = 0; k < l.length; k++) {
      l[k] = Math.log(probabilities[k]) + 1.7;
    }
    return Nd4j.create(new double[][] {l});
  }

  static LossResult vcd(double t, INDArray v1, INDArray z1, INDArray v2, INDArray z2, int[] l1, int[] l2) {
    return new VariationalCrossDistillation(t).compute(GradientChecks.input(
        Map.of("v1", v1, "z1", z1, "v2", v2, "z2", z2), Map.of("v1", l1, "z1", l1, "v2", l2, "z2", l2), 0));
  }

  @Test
  void valueIsTheSumOfTheTwoCrossKls() {
    // KL(p(y|v1) || p(y|z2)) = KL([.7 .2 .1] || [.2 .3 .5]) = .7 ln 3.5 + .2 ln(2/3) + .1 ln .2 = 0.634897265
    // KL(p(y|v2) || p(y|z1)) = KL([1/3 1/3 1/3] || [.5 .25 .25]) = (ln(2/3) + 2 ln(4/3)) / 3   = 0.056633012
    INDArray v1 = logits(0.7, 0.2, 0.1);
    INDArray z2 = logits(0.2, 0.3, 0.5);
    INDArray v2 = logits(1 / 3.0, 1 / 3.0, 1 / 3.0);
    INDArray z1 = logits(0.5, 0.25, 0.25);
    int[] l = {4};
    LossResult r = vcd(1.0, v1, z1, v2, z2, l, l);
    assertThat(r.value()).isCloseTo(0.634897265 + 0.056633012, within(1e-9));
    assertThat(r.diagnostics().get("kl_v1_z2")).isCloseTo(0.634897265, within(1e-9));
    assertThat(r.diagnostics().get("kl_v2_z1")).isCloseTo(0.056633012, within(1e-9));
    // The pairing is cross-view: swapping the students changes the value to KL(v1||z1) + KL(v2||z2).
    LossResult swapped = vcd(1.0, v1, z2, v2, z1, l, l);
    assertThat(swapped.value()).isNotCloseTo(r.value(), within(1e-3));
  }

  @Test
  void gradientMatchesFiniteDifferencesAndTeachersGetNone() {
    Nd4j.getRandom().setSeed(11);
    for (double t : new double[] {1.0, 2.5}) {
      Map<String, INDArray> x = Map.of("v1", Nd4j.randn(DataType.DOUBLE, 4, 5).muli(2),
          "z1", Nd4j.randn(DataType.DOUBLE, 4, 5).muli(2), "v2", Nd4j.randn(DataType.DOUBLE, 4, 5).muli(2),
          "z2", Nd4j.randn(DataType.DOUBLE, 4, 5).muli(2));
      int[] l = {0, 1, 2, 1};
      GradientChecks.Report r = GradientChecks.checkTerm(new VariationalCrossDistillation(t), SLOTS, x,
          Map.of("v1", l, "z1", l, "v2", l, "z2", l), 1e-6);
      assertThat(r.checked()).isEqualTo(40);
      assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-7);
      assertThat(r.gradientReturned()).containsEntry("v1", false).containsEntry("v2", false)
          .containsEntry("z1", true).containsEntry("z2", true);
    }
  }

  /** form: release, the release's 0.5·kl_div(softmax(v_vis), softmax(z_ir)) + 0.5·kl_div(softmax(v_ir), softmax(z_vis)). */
  @Test
  void releaseFormIsTheReleasesFormulaWithAnExactGradient() {
    double[] p1 = {0.7, 0.2, 0.1};
    double[] q2 = {0.2, 0.3, 0.5};
    double[] p2 = {1 / 3.0, 1 / 3.0, 1 / 3.0};
    double[] q1 = {0.5, 0.25, 0.25};
    double expected = 0;
    for (int k = 0; k < 3; k++) {
      expected += 0.5 * q2[k] * (Math.log(q2[k]) - p1[k]) / 3 + 0.5 * q1[k] * (Math.log(q1[k]) - p2[k]) / 3;
    }
    int[] l = {4};
    LossResult r = new VariationalCrossDistillation(1.0, "release").compute(GradientChecks.input(
        Map.of("v1", logits(p1), "z1", logits(q1), "v2", logits(p2), "z2", logits(q2)),
        Map.of("v1", l, "z1", l, "v2", l, "z2", l), 0));
    assertThat(r.value()).isCloseTo(expected, within(1e-12));
    Nd4j.getRandom().setSeed(13);
    Map<String, INDArray> x = Map.of("v1", Nd4j.randn(DataType.DOUBLE, 4, 5).muli(2),
        "z1", Nd4j.randn(DataType.DOUBLE, 4, 5).muli(2), "v2", Nd4j.randn(DataType.DOUBLE, 4, 5).muli(2),
        "z2", Nd4j.randn(DataType.DOUBLE, 4, 5).muli(2));
    int[] ls = {0, 1, 2, 1};
    GradientChecks.Report g = GradientChecks.checkTerm(new VariationalCrossDistillation(1.0, "release"), SLOTS, x,
        Map.of("v1", ls, "z1", ls, "v2", ls, "z2", ls), 1e-6);
    assertThat(g.checked()).isEqualTo(40);
    assertThat(g.maxRelativeError()).as(g.worst()).isLessThan(1e-6);
    assertThat(g.gradientReturned()).containsEntry("v1", false).containsEntry("z1", true);
  }

  @Test
  void rowsOfTheTwoViewsMustBePaired() {
    INDArray a = Nd4j.rand(DataType.DOUBLE, 2, 3);
    assertThatThrownBy(() -> vcd(1, a, a, a, a, new int[] {0, 1}, new int[] {0, 2}))
        .isInstanceOf(IbreidException.class).hasMessageContaining("row 1");
  }

  @Test
  void shorthandAppliesOnlyToTheSharedBranch() {
    VariationalCrossDistillation.Factory f = new VariationalCrossDistillation.Factory();
    assertThat(f.defaultInputs("shared", new VariationalCrossDistillation.Params())).containsExactlyInAnyOrderEntriesOf(
        Map.of("v1", "shared.visible.v_logits", "z1", "shared.visible.z_logits",
            "v2", "shared.infrared.v_logits", "z2", "shared.infrared.z_logits"));
    assertThatThrownBy(() -> f.defaultInputs("visible", new VariationalCrossDistillation.Params()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("needs branch: shared")
        .hasMessageContaining("shared");
    assertThatThrownBy(() -> new VariationalCrossDistillation(-1)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("params.temperature");
  }
}
