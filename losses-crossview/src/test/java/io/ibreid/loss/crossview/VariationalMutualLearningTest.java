package io.ibreid.loss.crossview;

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

/** VML: Jensen-Shannon values by hand, symmetry, the ln 2 bound, and the gradient to both views. */
class VariationalMutualLearningTest {
  static final List<Slot> SLOTS = new VariationalMutualLearning.Factory().slots(new VariationalMutualLearning.Params());

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static LossResult vml(INDArray z1, INDArray z2) {
    int[] l = new int[(int) z1.rows()];
    return new VariationalMutualLearning().compute(GradientChecks.input(Map.of("z1", z1, "z2", z2),
        Map.of("z1", l, "z2", l), 0));
  }

  @Test
  void jensenShannonOfTwoThreeClassDistributionsMatchesHandComputation() {
    // P = [.7 .2 .1], Q = [.2 .3 .5], M = [.45 .25 .3]
    // KL(P||M) = .7 ln(.7/.45) + .2 ln(.2/.25) + .1 ln(.1/.3) = 0.309283 - 0.044629 - 0.109861 = 0.154793
    // KL(Q||M) = .2 ln(.2/.45) + .3 ln(.3/.25) + .5 ln(.5/.3) = -0.162186 + 0.054696 + 0.255413 = 0.147923
    // JS = (0.154793 + 0.147923) / 2 = 0.151358
    LossResult r = vml(VariationalCrossDistillationTest.logits(0.7, 0.2, 0.1),
        VariationalCrossDistillationTest.logits(0.2, 0.3, 0.5));
    assertThat(r.value()).isCloseTo(0.1513581116, within(1e-9));
  }

  @Test
  void symmetricAndBoundedByLn2() {
    Nd4j.getRandom().setSeed(5);
    INDArray a = Nd4j.randn(DataType.DOUBLE, 6, 7).muli(4);
    INDArray b = Nd4j.randn(DataType.DOUBLE, 6, 7).muli(4);
    LossResult ab = vml(a, b);
    LossResult ba = vml(b, a);
    assertThat(ab.value()).isCloseTo(ba.value(), within(1e-14)).isGreaterThan(0).isLessThanOrEqualTo(Math.log(2));
    assertThat(ab.gradients().get("z1").sub(ba.gradients().get("z2")).amaxNumber().doubleValue()).isLessThan(1e-15);
    // Nearly disjoint supports reach the bound; exp(-200) underflows, which the log-space M must survive.
    INDArray x = Nd4j.create(new double[][] {{200, 0, 0}, {0, 0, 300}});
    INDArray y = Nd4j.create(new double[][] {{0, 200, 0}, {300, 0, 0}});
    LossResult far = vml(x, y);
    assertThat(far.value()).isCloseTo(Math.log(2), within(1e-12)).isLessThanOrEqualTo(Math.log(2) + 1e-15);
    assertThat(far.gradients().get("z1").isNaN().any()).isFalse();
    assertThat(vml(a, a.add(3)).value()).isCloseTo(0, within(1e-15));
  }

  @Test
  void gradientMatchesFiniteDifferencesOnBothViews() {
    Nd4j.getRandom().setSeed(8);
    int[] l = {0, 1, 2, 3, 4};
    GradientChecks.Report r = GradientChecks.checkTerm(new VariationalMutualLearning(), SLOTS,
        Map.of("z1", Nd4j.randn(DataType.DOUBLE, 5, 4).muli(2), "z2", Nd4j.randn(DataType.DOUBLE, 5, 4).muli(2)),
        Map.of("z1", l, "z2", l), 1e-6);
    assertThat(r.checked()).isEqualTo(40);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-7);
    assertThat(r.gradientReturned()).containsEntry("z1", true).containsEntry("z2", true);
  }

  @Test
  void shorthandAppliesOnlyToTheSharedBranch() {
    VariationalMutualLearning.Factory f = new VariationalMutualLearning.Factory();
    assertThat(f.defaultInputs("shared", new VariationalMutualLearning.Params()))
        .containsExactlyInAnyOrderEntriesOf(Map.of("z1", "shared.visible.z_logits", "z2", "shared.infrared.z_logits"));
    assertThatThrownBy(() -> f.defaultInputs("infrared", new VariationalMutualLearning.Params()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("needs branch: shared");
  }
}
