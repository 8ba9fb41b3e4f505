package io.ibreid.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Known answers: textbook t quantiles and intervals worked by hand. */
class SeedStatisticsTest {
  @Test
  void tQuantilesMatchTheTables() {
    // two-sided 95 %: df 1, 2, 4, 9, 30 (standard t tables)
    assertThat(SeedStatistics.tQuantile(1)).isCloseTo(12.7062, within(1e-4));
    assertThat(SeedStatistics.tQuantile(2)).isCloseTo(4.3027, within(1e-4));
    assertThat(SeedStatistics.tQuantile(4)).isCloseTo(2.7764, within(1e-4));
    assertThat(SeedStatistics.tQuantile(9)).isCloseTo(2.2622, within(1e-4));
    assertThat(SeedStatistics.tQuantile(30)).isCloseTo(2.0423, within(1e-4));
  }

  @Test
  void meanSampleSdAndInterval() {
    // 1..5: mean 3, sample variance 10/4 = 2.5, half-width 2.7764 * sqrt(2.5) / sqrt(5) = 2.7764 * sqrt(0.5)
    SeedStatistics.Summary s = SeedStatistics.of(new double[] {1, 2, 3, 4, 5});
    assertThat(s.n()).isEqualTo(5);
    assertThat(s.mean()).isEqualTo(3.0);
    assertThat(s.sd()).isCloseTo(Math.sqrt(2.5), within(1e-12));
    assertThat(s.halfWidth()).isCloseTo(2.776445 * Math.sqrt(0.5), within(1e-5));
    assertThat(s.excludesZero()).isTrue();
    assertThat(s.meanSd()).isEqualTo("3.0 ± 1.6");
    // 3 - 1.9632 = 1.0368, 3 + 1.9632 = 4.9632
    assertThat(s.meanSdCi()).isEqualTo("3.0 ± 1.6 [1.0, 5.0]");
    // the population sd (divide by n) would be sqrt(2): the sample sd is sqrt(5/4) = 1.118x larger
    assertThat(s.sd() / Math.sqrt(2.0)).isCloseTo(Math.sqrt(1.25), within(1e-12));
  }

  @Test
  void pairedDifferencesAreSeedBySeed() {
    // d = {1, 2, 0}: mean 1, sd 1, half-width 4.3027 / sqrt(3) = 2.4842: [-1.48, 3.48] contains zero
    SeedStatistics.Summary d = SeedStatistics.paired(new double[] {10, 12, 11}, new double[] {9, 10, 11});
    assertThat(d.mean()).isEqualTo(1.0);
    assertThat(d.sd()).isCloseTo(1.0, within(1e-12));
    assertThat(d.halfWidth()).isCloseTo(4.302653 / Math.sqrt(3), within(1e-5));
    assertThat(d.excludesZero()).isFalse();
    assertThat(d.difference()).isEqualTo("+1.0 [-1.5, +3.5]");
    // a consistent gain that unpaired spreads would hide: every seed +0.5 over a reference that varies by 10 points
    SeedStatistics.Summary gain = SeedStatistics.paired(new double[] {10.5, 20.6, 30.4, 15.5, 25.5},
        new double[] {10, 20, 30, 15, 25});
    assertThat(gain.excludesZero()).isTrue();
    assertThat(gain.low()).isGreaterThan(0);
    assertThat(gain.difference()).endsWith(" *");
  }

  @Test
  void oneValueHasNoSpreadAndMismatchedSeedsAreRefused() {
    SeedStatistics.Summary one = SeedStatistics.of(new double[] {4});
    assertThat(one.sd()).isNaN();
    assertThat(one.excludesZero()).isFalse();
    assertThat(one.meanSd()).isEqualTo("4.0");
    assertThat(one.meanSdCi()).isEqualTo("4.0");
    assertThatThrownBy(() -> SeedStatistics.paired(new double[] {1, 2}, new double[] {1}))
        .hasMessageContaining("same seeds");
    assertThatThrownBy(() -> SeedStatistics.of(new double[0])).hasMessageContaining("no values");
  }

  @Test
  void otherConfidenceLevels() {
    // 1..5 at 97.06 %: t(4, 0.9853) = 3.3192, half-width 3.3192 * sqrt(0.5)
    SeedStatistics.Summary s = SeedStatistics.of(new double[] {1, 2, 3, 4, 5}, 0.9706);
    assertThat(s.halfWidth()).isCloseTo(3.31922 * Math.sqrt(0.5), within(1e-4));
    assertThat(SeedStatistics.tQuantile(9, 0.9706)).isCloseTo(2.58612, within(1e-4));
    SeedStatistics.Summary d = SeedStatistics.paired(new double[] {10, 12, 11}, new double[] {9, 10, 11}, 0.99);
    assertThat(d.halfWidth()).isCloseTo(9.92484 / Math.sqrt(3), within(1e-4));
    assertThatThrownBy(() -> SeedStatistics.of(new double[] {1, 2}, 1.0)).hasMessageContaining("confidence level");
  }
}
