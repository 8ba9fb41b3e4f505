package io.ibreid.loss.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.core.ConfigException;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.OutputKey;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.testing.GradientChecks;
import io.ibreid.core.testing.TinyGraphs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The binding IB term: the leave-one-out bound by hand, against the known mutual information of a Gaussian channel,
 * its gradient by finite differences (alone and through the vib bottleneck's reparameterisation in a graph).
 */
class UpperBoundIbLossTest {
  static final List<Slot> SLOTS = new UpperBoundIbLoss.Factory().slots(new UpperBoundIbLoss.Params());

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static LossResult bound(double beta, INDArray z, INDArray mu, INDArray logvar) {
    int[] l = new int[(int) z.rows()];
    return new UpperBoundIbLoss(beta).compute(GradientChecks.input(Map.of("z", z, "mu", mu, "logvar", logvar),
        Map.of("z", l, "mu", l, "logvar", l), 0));
  }

  @Test
  void twoRowsByHand() {
    // z = mu = [0], [1], unit variances: L_ii = -ln(2 pi)/2, L_ij = L_ii - 1/2.
    // upper = mean_i (L_ii - L_ij) = 1/2; lower = ln 2 - ln(1 + e^{-1/2}) = 0.6931472 - 0.4740770 = 0.2190702.
    INDArray z = Nd4j.create(new double[][] {{0}, {1}});
    LossResult r = bound(2, z, z.dup(), Nd4j.zeros(DataType.DOUBLE, 2, 1));
    assertThat(r.diagnostics().get("upper")).isCloseTo(0.5, within(1e-12));
    assertThat(r.value()).isCloseTo(1.0, within(1e-12));
    assertThat(r.diagnostics().get("lower")).isCloseTo(0.2190702, within(1e-7));
  }

  @Test
  void sandwichesTheMutualInformationOfAGaussianChannel() {
    // v ~ N(0, 1), z = v + N(0, 1) noise in each of 2 independent dimensions: I(v;z) = 2 * ln(2)/2 = ln 2.
    Random r = new Random(3);
    int n = 1500;
    int d = 2;
    double[][] mu = new double[n][d];
    double[][] z = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        mu[i][k] = r.nextGaussian();
        z[i][k] = mu[i][k] + r.nextGaussian();
      }
    }
    LossResult res = bound(1, Nd4j.create(z), Nd4j.create(mu), Nd4j.zeros(DataType.DOUBLE, n, d));
    double upper = res.diagnostics().get("upper");
    double lower = res.diagnostics().get("lower");
    assertThat(lower).isLessThan(upper).isLessThanOrEqualTo(Math.log(n));
    // with I far below ln N both bounds are tight; the sampling error of a mean over 1 500 rows is about 0.02
    assertThat(upper).isCloseTo(Math.log(2), within(0.06));
    assertThat(lower).isCloseTo(Math.log(2), within(0.06));
  }

  @Test
  void separatedRowsKeepAGradientWhereACriticWouldSaturate() {
    // rows 40 standard deviations apart: the InfoNCE bound sits at ln N, the upper bound keeps growing with the gap
    INDArray mu = Nd4j.create(new double[][] {{0, 0}, {40, 0}, {0, 40}});
    INDArray logvar = Nd4j.zeros(DataType.DOUBLE, 3, 2);
    LossResult r = bound(1, mu.dup(), mu, logvar);
    assertThat(r.diagnostics().get("lower")).isCloseTo(Math.log(3), within(1e-9));
    assertThat(r.diagnostics().get("upper")).isGreaterThan(700);
    assertThat(r.gradients().get("mu").norm2Number().doubleValue()).isGreaterThan(10);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Nd4j.getRandom().setSeed(4);
    int[] l = {0, 1, 2, 3, 4};
    GradientChecks.Report r = GradientChecks.checkTerm(new UpperBoundIbLoss(0.7), SLOTS,
        Map.of("z", Nd4j.randn(DataType.DOUBLE, 5, 3).muli(1.5), "mu", Nd4j.randn(DataType.DOUBLE, 5, 3),
            "logvar", Nd4j.randn(DataType.DOUBLE, 5, 3).muli(0.5)),
        Map.of("z", l, "mu", l, "logvar", l), 1e-6);
    assertThat(r.checked()).isEqualTo(45);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-7);
    assertThat(r.gradientReturned()).containsEntry("z", true).containsEntry("mu", true).containsEntry("logvar", true);
  }

  @Test
  void gradientThroughTheReparameterisedGraphMatchesFiniteDifferences() {
    ReidModel model = VibBottleneckTest.model(BranchRole.SHARED);
    CrossModalBatch batch = TinyGraphs.batch();
    Map<String, OutputKey> inputs = new LinkedHashMap<>();
    new UpperBoundIbLoss.Factory().defaultInputs("shared", new UpperBoundIbLoss.Params())
        .forEach((k, v) -> inputs.put(k, OutputKey.parse(v, k)));
    Objective objective = new Objective(model, List.of(
        new Objective.BoundTerm("ce", 1.0, new CrossEntropyLoss(0.1), List.of(Slot.differentiable("logits", "")),
            Map.of("logits", OutputKey.parse("shared.z_logits", "ce"))),
        new Objective.BoundTerm("ib-upper", 1.0, new UpperBoundIbLoss(0.3), SLOTS, inputs)), 1);
    GradientChecks.Report r = GradientChecks.checkModel(model, objective, batch, 1e-6, 4, 7);
    assertThat(r.checked()).isGreaterThan(50);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> new UpperBoundIbLoss(-1)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("ib-upper: params.beta");
    INDArray one = Nd4j.zeros(DataType.DOUBLE, 1, 3);
    assertThatThrownBy(() -> bound(1, one, one, one)).hasMessageContaining("at least 2 rows");
    assertThat(new UpperBoundIbLoss.Factory().defaultInputs("shared", new UpperBoundIbLoss.Params()))
        .containsEntry("z", "shared.z").containsEntry("mu", "shared.mu").containsEntry("logvar", "shared.logvar");
  }
}
