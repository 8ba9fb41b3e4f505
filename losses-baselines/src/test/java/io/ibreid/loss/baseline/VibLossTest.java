package io.ibreid.loss.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.core.ConfigException;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.testing.GradientChecks;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The VIB compression term: closed-form KL by hand and by Monte Carlo, and its gradient. */
class VibLossTest {
  static final List<Slot> SLOTS = new VibLoss.Factory().slots(new VibLoss.Params());

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static LossResult vib(double beta, INDArray mu, INDArray logvar) {
    int[] l = new int[(int) mu.rows()];
    return new VibLoss(beta).compute(GradientChecks.input(Map.of("mu", mu, "logvar", logvar),
        Map.of("mu", l, "logvar", l), 0));
  }

  @Test
  void closedFormKlMatchesHandComputation() {
    // Row 1: mu = [1, -2], sigma^2 = [1, 4]:
    //   KL = 1/2 [(1 + 1 - 0 - 1) + (4 + 4 - ln 4 - 1)] = 1/2 (8 - 1.3862944) = 3.3068528
    // Row 2: mu = 0, sigma^2 = 1: KL = 0.   Mean = 1.6534264; with beta = 0.5 the value is 0.8267132.
    INDArray mu = Nd4j.create(new double[][] {{1, -2}, {0, 0}});
    INDArray logvar = Nd4j.create(new double[][] {{0, Math.log(4)}, {0, 0}});
    LossResult r = vib(0.5, mu, logvar);
    assertThat(r.diagnostics().get("kl")).isCloseTo(1.6534264, within(1e-7));
    assertThat(r.value()).isCloseTo(0.8267132, within(1e-7));
  }

  @Test
  void closedFormAgreesWithAMonteCarloEstimate() {
    // KL(q || p) = E_q[log q(z) - log p(z)] for q = N(0.7, 0.3^2), p = N(0, 1), from 200 000 samples.
    double m = 0.7;
    double s = 0.3;
    Random r = new Random(1);
    double sum = 0;
    int samples = 200_000;
    for (int i = 0; i < samples; i++) {
      double e = r.nextGaussian();
      double z = m + s * e;
      sum += (-0.5 * e * e - Math.log(s)) - (-0.5 * z * z);
    }
    double mc = sum / samples;
    double closed = vib(1, Nd4j.create(new double[][] {{m}}), Nd4j.create(new double[][] {{Math.log(s * s)}}))
        .value();
    assertThat(closed).isCloseTo(0.5 * (m * m + s * s - Math.log(s * s) - 1), within(1e-12));
    assertThat(mc).isCloseTo(closed, within(0.01));
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Nd4j.getRandom().setSeed(2);
    int[] l = {0, 1, 2};
    GradientChecks.Report r = GradientChecks.checkTerm(new VibLoss(0.3), SLOTS,
        Map.of("mu", Nd4j.randn(DataType.DOUBLE, 3, 4), "logvar", Nd4j.randn(DataType.DOUBLE, 3, 4)),
        Map.of("mu", l, "logvar", l), 1e-6);
    assertThat(r.checked()).isEqualTo(24);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-7);
    assertThat(r.gradientReturned()).containsEntry("mu", true).containsEntry("logvar", true);
  }

  @Test
  void betaMustBeNonNegative() {
    assertThatThrownBy(() -> new VibLoss(-1)).isInstanceOf(ConfigException.class).hasMessageContaining("params.beta");
    assertThat(new VibLoss.Factory().defaultInputs("shared", new VibLoss.Params()))
        .containsEntry("mu", "shared.mu").containsEntry("logvar", "shared.logvar");
  }
}
