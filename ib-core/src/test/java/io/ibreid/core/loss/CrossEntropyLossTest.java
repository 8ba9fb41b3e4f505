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

class CrossEntropyLossTest {
  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @Test
  void valueMatchesAHandComputedCase() {
    // Row 0: logits (0, ln 2, ln 3) -> p = (1/6, 2/6, 3/6); label 2. Row 1: logits (0,0,0) -> p = 1/3; label 0.
    INDArray logits = Nd4j.create(new double[][] {{0, Math.log(2), Math.log(3)}, {0, 0, 0}});
    int[] labels = {2, 0};
    double eps = 0.3;
    // q = (1-eps)*onehot + eps/3
    double row0 = -((eps / 3) * Math.log(1 / 6.0) + (eps / 3) * Math.log(2 / 6.0)
        + (1 - eps + eps / 3) * Math.log(3 / 6.0));
    double row1 = -Math.log(1 / 3.0);
    LossResult r = new CrossEntropyLoss(eps).compute(GradientChecks.input(Map.of("logits", logits),
        Map.of("logits", labels), 0));
    assertThat(r.value()).isCloseTo((row0 + row1) / 2, within(1e-12));
    // gradient row 1 = (p - q)/N = ((1/3 - (1-eps+eps/3)), 1/3 - eps/3, 1/3 - eps/3)/2
    INDArray g = r.gradients().get("logits");
    assertThat(g.getDouble(1, 0)).isCloseTo((1 / 3.0 - (1 - eps + eps / 3)) / 2, within(1e-12));
    assertThat(g.getDouble(1, 1)).isCloseTo((1 / 3.0 - eps / 3) / 2, within(1e-12));
  }

  @Test
  void withoutSmoothingItIsTheNegativeLogLikelihood() {
    INDArray logits = Nd4j.create(new double[][] {{2, 1, 0}});
    double p0 = Math.exp(2) / (Math.exp(2) + Math.exp(1) + 1);
    LossResult r = new CrossEntropyLoss(0).compute(GradientChecks.input(Map.of("logits", logits),
        Map.of("logits", new int[] {0}), 0));
    assertThat(r.value()).isCloseTo(-Math.log(p0), within(1e-12));
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Nd4j.getRandom().setSeed(1);
    INDArray logits = Nd4j.randn(DataType.DOUBLE, 6, 5).muli(2);
    GradientChecks.Report r = GradientChecks.checkTerm(new CrossEntropyLoss(0.1),
        List.of(Slot.differentiable("logits", "")), Map.of("logits", logits),
        Map.of("logits", new int[] {0, 1, 4, 4, 2, 3}), 1e-6);
    assertThat(r.checked()).isEqualTo(30);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-7);
  }
}
