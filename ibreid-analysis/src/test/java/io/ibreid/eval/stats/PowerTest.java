package io.ibreid.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** Known answers for the paired t test's power and minimum detectable effect. */
class PowerTest {
  @Test
  void mdeMatchesTheNoncentralTTables() {
    // power.t.test(n = 5, sd = 1, power = 0.8, type = "one.sample") gives delta = 1.6820; n = 10: 0.9960 (the same
    // values scipy.stats.nct gives); at Pocock's 97.06 %: 1.9592 and 1.1053
    assertThat(Power.mde(1, 5, 0.95)).isCloseTo(1.6820, within(2e-4));
    assertThat(Power.mde(1, 10, 0.95)).isCloseTo(0.9960, within(2e-4));
    assertThat(Power.mde(1, 5, 0.9706)).isCloseTo(1.9592, within(3e-4));
    assertThat(Power.mde(1, 10, 0.9706)).isCloseTo(1.1053, within(3e-4));
    assertThat(Power.mde(1, 3, 0.95)).isCloseTo(3.2640, within(5e-4));
    // linear in sd
    assertThat(Power.mde(2.2, 5, 0.95)).isCloseTo(2.2 * 1.6820, within(5e-4));
  }

  @Test
  void largeSamplesApproachTheNormalFormula() {
    NormalDistribution z = new NormalDistribution(null, 0, 1);
    double normal = (z.inverseCumulativeProbability(0.975) + z.inverseCumulativeProbability(0.8)) / Math.sqrt(400);
    assertThat(Power.mde(1, 400, 0.95)).isCloseTo(normal, within(0.002));
  }

  @Test
  void powerAtZeroIsTheLevelsErrorRateAndTheMdeHasEightyPercentBySimulation() {
    assertThat(Power.power(0, 1, 5, 0.95)).isCloseTo(0.05, within(1e-4));
    assertThat(Power.power(0, 1, 2, 0.95)).isCloseTo(0.05, within(1e-3));
    // 40 000 simulated paired experiments with the MDE as the true effect: the interval excludes zero ~80 % of times
    double sd = 2.0;
    int n = 5;
    double effect = Power.mde(sd, n, 0.95);
    Random r = new Random(11);
    int hits = 0;
    int trials = 40_000;
    for (int t = 0; t < trials; t++) {
      double[] d = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = effect + sd * r.nextGaussian();
      }
      if (SeedStatistics.of(d).excludesZero()) {
        hits++;
      }
    }
    assertThat(hits / (double) trials).isCloseTo(0.80, within(0.01));
  }

  @Test
  void uncomputableCasesAreNaNOrRefused() {
    assertThat(Power.mde(0, 5, 0.95)).isNaN();
    assertThat(Power.mde(1, 1, 0.95)).isNaN();
    assertThat(Power.mde(Double.NaN, 5, 0.95)).isNaN();
    assertThatThrownBy(() -> Power.power(1, 1, 1, 0.95)).hasMessageContaining("at least 2 seeds");
    assertThatThrownBy(() -> Power.mde(1, 5, 1.5)).hasMessageContaining("confidence level");
  }
}
