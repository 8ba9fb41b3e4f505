package io.ibreid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.core.testing.GradientChecks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchHardTripletLossTest {
  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  private static LossResult run(double margin, INDArray x, int[] labels) {
    return new BatchHardTripletLoss(margin).compute(GradientChecks.input(Map.of("features", x),
        Map.of("features", labels), 0));
  }

  @Test
  void handComputedOneDimensionalCase() {
    // Points on a line: a0=0, a1=1 (id 0), b0=3, b1=3.5 (id 1).
    // anchor 0: hardest pos d=1, hardest neg d=3 -> max(0, 0.3+1-3)=0
    // anchor 1: pos 1, neg 2 -> 0; anchor 2 (3): pos 0.5, neg 2 -> 0; anchor 3: pos 0.5, neg 2.5 -> 0
    INDArray x = Nd4j.create(new double[][] {{0}, {1}, {3}, {3.5}});
    assertThat(run(0.3, x, new int[] {0, 0, 1, 1}).value()).isCloseTo(0, within(1e-6));
    // With margin 1.5: anchor0 0.5+... : 1.5+1-3 = -0.5 -> 0; anchor1: 1.5+1-2=0.5; anchor2: 1.5+0.5-2=0;
    // anchor3: 1.5+0.5-2.5=-0.5 -> 0. Mean over 4 anchors = 0.125.
    assertThat(run(1.5, x, new int[] {0, 0, 1, 1}).value()).isCloseTo(0.125, within(1e-6));
    // Soft margin: mean softplus(d_ap - d_an) = mean(softplus(-2), softplus(-1), softplus(-1.5), softplus(-2))
    double expected = (2 * Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1)) + Math.log1p(Math.exp(-1.5))) / 4;
    assertThat(run(0, x, new int[] {0, 0, 1, 1}).value()).isCloseTo(expected, within(1e-6));
  }

  @Test
  void anchorsWithoutPositivesAreLeftOut() {
    INDArray x = Nd4j.create(new double[][] {{0}, {1}, {3}});
    LossResult r = run(1.5, x, new int[] {0, 0, 1});
    // only anchors 0 and 1 have positives: anchor0: 1.5+1-3 -> 0 ; anchor1: 1.5+1-2 = 0.5 -> mean 0.25
    assertThat(r.value()).isCloseTo(0.25, within(1e-6));
    assertThat(r.diagnostics()).containsEntry("valid_anchors", 2.0);
  }

  @Test
  void gradientMatchesFiniteDifferencesForHardAndSoftMargins() {
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.randn(DataType.DOUBLE, 8, 5);
    int[] labels = {0, 0, 1, 1, 2, 2, 3, 3};
    for (double margin : new double[] {0.0, 0.3, 5.0}) {
      GradientChecks.Report r = GradientChecks.checkTerm(new BatchHardTripletLoss(margin),
          List.of(Slot.differentiable("features", "")), Map.of("features", x), Map.of("features", labels), 1e-6);
      assertThat(r.checked()).isEqualTo(40);
      assertThat(r.maxRelativeError()).as("margin " + margin + ": " + r.worst()).isLessThan(1e-6);
    }
  }
}
