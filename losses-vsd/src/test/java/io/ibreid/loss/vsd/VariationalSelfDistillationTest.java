package io.ibreid.loss.vsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.core.ConfigException;
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

/** Values against hand-computed KL divergences, and the term's gradient against finite differences. */
class VariationalSelfDistillationTest {
  private static final List<Slot> SLOTS = new VariationalSelfDistillation.Factory()
      .slots(new VariationalSelfDistillation.Params());

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  private static INDArray logits(double[][] probabilities, double... rowShift) {
    double[][] l = new double[probabilities.length][];
    for (int i = 0; i < l.length; i++) {
      l[i] = new double[probabilities[i].length];
      for (int k = 0; k < l[i].length; k++) {
        l[i][k] = Math.log(probabilities[i][k]) + (rowShift.length > i ? rowShift[i] : 0);
      }
    }
    return Nd4j.create(l);
  }

  private static LossResult vsd(double t, INDArray v, INDArray z) {
    int[] labels = new int[(int) v.rows()];
    return new VariationalSelfDistillation(t).compute(GradientChecks.input(
        Map.of("v_logits", v, "z_logits", z), Map.of("v_logits", labels, "z_logits", labels), 0));
  }

  @Test
  void klOfTwoThreeClassDistributionsMatchesHandComputation() {
    // Row 1: KL([.7 .2 .1] || [.2 .3 .5]) = .7 ln 3.5 + .2 ln(2/3) + .1 ln .2
    //      = 0.876934078 - 0.081093022 - 0.160943791 = 0.634897265
    // Row 2: KL([1/3 1/3 1/3] || [.5 .25 .25]) = (ln(2/3) + 2 ln(4/3)) / 3 = 0.056633012
    // Batch mean: 0.345765139. Logit rows are shifted by constants, which softmax must ignore.
    INDArray v = logits(new double[][] {{0.7, 0.2, 0.1}, {1 / 3.0, 1 / 3.0, 1 / 3.0}}, 5.0, -2.0);
    INDArray z = logits(new double[][] {{0.2, 0.3, 0.5}, {0.5, 0.25, 0.25}}, -1.0, 3.0);
    LossResult r = vsd(1.0, v, z);
    assertThat(r.value()).isCloseTo(0.345765139, within(1e-9));
    // Row 1 argmaxes differ (0 vs 2); row 2's uniform teacher argmax is class 0, as is the student's.
    assertThat(r.diagnostics().get("agreement")).isEqualTo(0.5);
  }

  @Test
  void temperatureSoftensBothSidesAndScalesByItsSquare() {
    // softmax(ln p / 2) is proportional to sqrt(p): compute the tempered KL by hand in plain doubles.
    double[] p = {0.7, 0.2, 0.1};
    double[] q = {0.2, 0.3, 0.5};
    double sp = 0;
    double sq = 0;
    for (int k = 0; k < 3; k++) {
      sp += Math.sqrt(p[k]);
      sq += Math.sqrt(q[k]);
    }
    double kl = 0;
    for (int k = 0; k < 3; k++) {
      double pt = Math.sqrt(p[k]) / sp;
      double qt = Math.sqrt(q[k]) / sq;
      kl += pt * Math.log(pt / qt);
    }
    LossResult r = vsd(2.0, logits(new double[][] {p}), logits(new double[][] {q}));
    assertThat(r.value()).isCloseTo(4 * kl, within(1e-12));
    assertThat(kl).isLessThan(0.634897265); // the tempered pair is closer than the raw one
  }

  /**
   * The public release computed {@code kl_div(softmax(v), softmax(z))}: probabilities where log-probabilities
   * belong, averaged over rows × classes. For these confidently disagreeing predictions that formula gives
   * (1/3)·Σ q (ln q − p) = −0.0439, a near-zero (even negative) loss, while the true KL is 0.97·ln 98 = 4.4474.
   */
  @Test
  void confidentDisagreementGivesTheTrueKlNotTheNearZeroValueOfProbabilitiesAsLogProbabilities() {
    double[] p = {0.98, 0.01, 0.01};
    double[] q = {0.01, 0.01, 0.98};
    double releaseFormula = 0;
    for (int k = 0; k < 3; k++) {
      releaseFormula += q[k] * (Math.log(q[k]) - p[k]) / 3;
    }
    assertThat(releaseFormula).isCloseTo(-0.0439, within(1e-4));
    LossResult r = vsd(1.0, logits(new double[][] {p}), logits(new double[][] {q}));
    assertThat(r.value()).isCloseTo(0.97 * Math.log(98), within(1e-9)).isGreaterThan(4.4);
  }

  /** form: release reproduces the release's formula (the value computed by hand in the test above) on purpose. */
  @Test
  void releaseFormIsTheReleasesFormulaAndItsGradientIsExact() {
    double[] p = {0.98, 0.01, 0.01};
    double[] q = {0.01, 0.01, 0.98};
    LossResult r = new VariationalSelfDistillation(1.0, "release").compute(GradientChecks.input(
        Map.of("v_logits", logits(new double[][] {p}), "z_logits", logits(new double[][] {q})),
        Map.of("v_logits", new int[] {0}, "z_logits", new int[] {0}), 0));
    double formula = 0;
    for (int k = 0; k < 3; k++) {
      formula += q[k] * (Math.log(q[k]) - p[k]) / 3;
    }
    assertThat(r.value()).isCloseTo(formula, within(1e-12)).isCloseTo(-0.0439, within(1e-4));
    // identical predictions: not zero (it is -H(q)/C), unlike a divergence
    INDArray same = logits(new double[][] {{0.5, 0.25, 0.25}});
    LossResult s = new VariationalSelfDistillation(1.0, "release").compute(GradientChecks.input(
        Map.of("v_logits", same, "z_logits", same.dup()), Map.of("v_logits", new int[] {0}, "z_logits",
            new int[] {0}), 0));
    double h = -(0.5 * Math.log(0.5) + 2 * 0.25 * Math.log(0.25));
    assertThat(s.value()).isCloseTo((-h - (0.25 + 2 * 0.0625)) / 3, within(1e-12));
    Nd4j.getRandom().setSeed(5);
    for (double t : new double[] {1.0, 2.0}) {
      INDArray v = Nd4j.randn(DataType.DOUBLE, 4, 5).muli(2);
      INDArray z = Nd4j.randn(DataType.DOUBLE, 4, 5).muli(2);
      int[] labels = {0, 1, 2, 3};
      GradientChecks.Report g = GradientChecks.checkTerm(new VariationalSelfDistillation(t, "release"), SLOTS,
          Map.of("v_logits", v, "z_logits", z), Map.of("v_logits", labels, "z_logits", labels), 1e-6);
      assertThat(g.checked()).isEqualTo(20);
      assertThat(g.maxRelativeError()).as(g.worst()).isLessThan(1e-6);
      assertThat(g.gradientReturned()).containsEntry("v_logits", false).containsEntry("z_logits", true);
    }
    assertThatThrownBy(() -> new VariationalSelfDistillation(1.0, "pytorch"))
        .isInstanceOf(ConfigException.class).hasMessage("vsd: params.form must be paper or release, got pytorch");
  }

  @Test
  void identicalPredictionsGiveZeroLossAndZeroGradient() {
    INDArray v = Nd4j.rand(DataType.DOUBLE, 4, 5).muli(3);
    LossResult r = vsd(1.0, v, v.dup());
    assertThat(r.value()).isCloseTo(0.0, within(1e-15));
    assertThat(r.gradients().get("z_logits").norm2Number().doubleValue()).isLessThan(1e-15);
    assertThat(r.diagnostics().get("agreement")).isEqualTo(1.0);
  }

  @Test
  void gradientMatchesFiniteDifferencesAndTheTeacherGetsNone() {
    Nd4j.getRandom().setSeed(3);
    for (double t : new double[] {1.0, 3.0}) {
      INDArray v = Nd4j.randn(DataType.DOUBLE, 5, 4).muli(2);
      INDArray z = Nd4j.randn(DataType.DOUBLE, 5, 4).muli(2);
      int[] labels = {0, 1, 2, 3, 0};
      GradientChecks.Report r = GradientChecks.checkTerm(new VariationalSelfDistillation(t), SLOTS,
          Map.of("v_logits", v, "z_logits", z), Map.of("v_logits", labels, "z_logits", labels), 1e-6);
      assertThat(r.checked()).isEqualTo(20);
      assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-7);
      assertThat(r.gradientReturned()).containsEntry("v_logits", false).containsEntry("z_logits", true);
    }
  }

  @Test
  void computesInTheInputsPrecision() {
    INDArray v = Nd4j.rand(DataType.FLOAT, 3, 4);
    INDArray z = Nd4j.rand(DataType.FLOAT, 3, 4);
    LossResult r = vsd(1.0, v, z);
    assertThat(r.gradients().get("z_logits").dataType()).isEqualTo(DataType.FLOAT);
    LossResult d = vsd(1.0, v.castTo(DataType.DOUBLE), z.castTo(DataType.DOUBLE));
    assertThat(r.value()).isCloseTo(d.value(), within(1e-6));
  }

  @Test
  void factoryDeclaresTheTeacherStopGradientAndBindsAnyBranch() {
    VariationalSelfDistillation.Factory f = new VariationalSelfDistillation.Factory();
    assertThat(SLOTS).extracting(Slot::name, Slot::receivesGradient)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("v_logits", false),
            org.assertj.core.groups.Tuple.tuple("z_logits", true));
    assertThat(f.defaultInputs("infrared", new VariationalSelfDistillation.Params()))
        .containsEntry("v_logits", "infrared.v_logits").containsEntry("z_logits", "infrared.z_logits");
    assertThat(f.bind(Map.of("temperature", 0.5), "losses.3.params").temperature).isEqualTo(0.5);
    assertThatThrownBy(() -> new VariationalSelfDistillation(0))
        .isInstanceOf(ConfigException.class).hasMessageContaining("params.temperature");
    assertThatThrownBy(() -> f.bind(Map.of("temprature", 2), "losses.3.params"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("losses.3.params.temprature");
  }
}
