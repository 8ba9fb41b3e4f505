package io.ibreid.loss.crossview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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

/** The release's rank loss: a four-row case by hand, the modality split, and its gradient. */
class ReleaseRankLossTest {
  static final List<Slot> SLOTS = new ReleaseRankLoss.Factory().slots(new ReleaseRankLoss.Params());

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static LossResult rank(ReleaseRankLoss.Params p, INDArray x, int[] labels) {
    return new ReleaseRankLoss(p).compute(GradientChecks.input(Map.of("x", x), Map.of("x", labels), 0));
  }

  @Test
  void fourRowsByHand() {
    // rows (visible half, infrared half): v0 = id 0 at angle 0, v1 = id 1 at 90 degrees, i0 = id 0 at 60, i1 = id 1 at
    // 180. Unit vectors: d = 2 sin(angle / 2). Cross positives: d(v0, i0) = 1, d(v1, i1) = 2 sin 45 = sqrt 2.
    // No intra positives (one image per identity and modality). Intra negatives: d(v0, v1) = sqrt 2, d(i0, i1) =
    // 2 sin 60 = sqrt 3. Cross negatives: d(v0, i1) = 2, d(v1, i0) = 2 sin 15 = 0.517638.
    // Parameters: m2 = 1, alpha2 = 1.8 (cross), alpha1 = 2.2, m1 = 0.9, t = 1.
    double s60 = Math.sin(Math.PI / 3);
    INDArray x = Nd4j.create(new double[][] {{1, 0}, {0, 3}, {0.5, s60}, {-2, 0}});
    ReleaseRankLoss.Params p = new ReleaseRankLoss.Params();
    p.alpha2 = 1.8;
    LossResult r = rank(p, x, new int[] {0, 1, 0, 1});
    double delta = 1e-5;
    // positives (cross only, one each): [1 + 1 - 1.8]+ = 0.2 for v0 and i0; [sqrt2 + 1 - 1.8]+ = 0.614214 for v1, i1
    double pos = 2 * (0.2 + (Math.sqrt(2) - 0.8)) / (1 + delta);
    // one negative in each set: (alpha - d) w / (w + delta), each set with one element
    double negIntra = 2 * hinge(2.2, Math.sqrt(2), delta) + 2 * hinge(2.2, Math.sqrt(3), delta);
    // cross: v0 - i1 (d = 2 >= 1.8: none), v1 - i0 (d = 0.517638 < 1.8), i0 - v1 (same), i1 - v0 (none)
    double d = 2 * Math.sin(Math.PI / 12);
    double negCross = 2 * hinge(1.8, d, delta);
    assertThat(r.value()).isCloseTo((pos + negIntra + negCross) / 4, within(1e-12));
    assertThat(r.diagnostics().get("positive")).isCloseTo(pos / 4, within(1e-12));
  }

  private static double hinge(double alpha, double d, double delta) {
    double w = Math.exp(alpha - d);
    return (alpha - d) * w / (w + delta);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Nd4j.getRandom().setSeed(6);
    // 12 rows: 3 identities x 2 images per modality, visible half then infrared half; small alphas so that every kind
    // of term is active
    int[] labels = {0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2};
    ReleaseRankLoss.Params p = new ReleaseRankLoss.Params();
    p.alpha1 = 1.3;
    p.alpha2 = 1.25;
    p.margin1 = 0.6;
    p.margin2 = 0.7;
    p.t = 1.5;
    GradientChecks.Report r = GradientChecks.checkTerm(new ReleaseRankLoss(p), SLOTS,
        Map.of("x", Nd4j.randn(DataType.DOUBLE, 12, 5)), Map.of("x", labels), 1e-6);
    assertThat(r.checked()).isEqualTo(60);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-6);
  }

  @Test
  void halvesAreCheckedAndSingleTreatsEveryRowAsOneModality() {
    INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 3);
    assertThatThrownBy(() -> rank(new ReleaseRankLoss.Params(), x, new int[] {0, 0, 1, 1}))
        .hasMessageContaining("layout halves");
    ReleaseRankLoss.Params single = new ReleaseRankLoss.Params();
    single.layout = "single";
    assertThat(rank(single, x, new int[] {0, 0, 1, 1}).value()).isFinite();
    assertThat(new ReleaseRankLoss.Factory().defaultInputs("shared", new ReleaseRankLoss.Params()))
        .containsEntry("x", "shared.v");
  }
}
