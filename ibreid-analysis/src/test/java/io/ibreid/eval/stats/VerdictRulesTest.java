package io.ibreid.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The verdict rules on constructed cases, each worked by hand. */
class VerdictRulesTest {
  private static SeedStatistics.Summary paired(double[] method, double[] reference) {
    return SeedStatistics.paired(method, reference);
  }

  @Test
  void greaterHoldsOnlyWhenTheWholeIntervalIsAboveZero() {
    // d = {1, 2, 3, 2, 2}: mean 2, sd sqrt(0.5), half-width 2.7764 * sqrt(0.5) / sqrt(5) = 0.878: [1.12, 2.88]
    SeedStatistics.Summary up = paired(new double[] {11, 12, 13, 12, 12}, new double[] {10, 10, 10, 10, 10});
    assertThat(up.low()).isCloseTo(2 - 2.776445 * Math.sqrt(0.5) / Math.sqrt(5), within(1e-5));
    assertThat(VerdictRules.greater(up)).isEqualTo(Verdict.HOLDS);
    // the same differences negated: [-2.88, -1.12]
    SeedStatistics.Summary down = paired(new double[] {10, 10, 10, 10, 10}, new double[] {11, 12, 13, 12, 12});
    assertThat(VerdictRules.greater(down)).isEqualTo(Verdict.DOES_NOT_HOLD);
    // d = {1, -1, 2, -2, 0}: mean 0, the interval contains zero
    SeedStatistics.Summary flat = paired(new double[] {11, 9, 12, 8, 10}, new double[] {10, 10, 10, 10, 10});
    assertThat(VerdictRules.greater(flat)).isEqualTo(Verdict.CANNOT_TELL);
    // one paired seed: no interval, whatever the difference
    assertThat(VerdictRules.greater(paired(new double[] {50}, new double[] {10}))).isEqualTo(Verdict.CANNOT_TELL);
    assertThat(VerdictRules.greater(null)).isEqualTo(Verdict.CANNOT_TELL);
  }

  @Test
  void atLeastIsNonInferiorityWithAOnePointMargin() {
    // d = {0, -0.5, 0.5, 0, 0}: mean 0, sd sqrt(0.125) = 0.354, half-width 0.439: [-0.44, +0.44] > -1: holds
    SeedStatistics.Summary tie = paired(new double[] {10, 9.5, 10.5, 10, 10}, new double[] {10, 10, 10, 10, 10});
    assertThat(tie.low()).isGreaterThan(-1).isLessThan(0);
    assertThat(VerdictRules.atLeast(tie)).isEqualTo(Verdict.HOLDS);
    assertThat(VerdictRules.greater(tie)).isEqualTo(Verdict.CANNOT_TELL);
    // d = {-0.4, -0.6, -0.5, -0.5, -0.5}: entirely below 0 (though above -1): worse, does not hold
    SeedStatistics.Summary worse = paired(new double[] {9.6, 9.4, 9.5, 9.5, 9.5}, new double[] {10, 10, 10, 10, 10});
    assertThat(worse.high()).isLessThan(0);
    assertThat(VerdictRules.atLeast(worse)).isEqualTo(Verdict.DOES_NOT_HOLD);
    // d = {3, -3, 1, -1, 0}: [-3.0, +3.0]: reaches below -1 and above 0: cannot tell
    SeedStatistics.Summary wide = paired(new double[] {13, 7, 11, 9, 10}, new double[] {10, 10, 10, 10, 10});
    assertThat(VerdictRules.atLeast(wide)).isEqualTo(Verdict.CANNOT_TELL);
    // a clear gain holds under both rules
    SeedStatistics.Summary gain = paired(new double[] {15, 16, 15, 16, 15}, new double[] {10, 10, 10, 10, 10});
    assertThat(VerdictRules.atLeast(gain)).isEqualTo(Verdict.HOLDS);
    assertThat(VerdictRules.atLeast(paired(new double[] {1}, new double[] {0}))).isEqualTo(Verdict.CANNOT_TELL);
  }

  @Test
  void proportionDifferencesUseTheNormalInterval() {
    // 0.60 of 400 vs 0.80 of 400: se = sqrt(0.24/400 + 0.16/400) = sqrt(0.001) = 0.031623; 1.96 * se = 0.06198
    SeedStatistics.Summary d = VerdictRules.proportionDifference(0.6, 400, 0.8, 400);
    assertThat(d.mean()).isCloseTo(-0.2, within(1e-12));
    assertThat(d.sd()).isCloseTo(Math.sqrt(0.001), within(1e-12));
    assertThat(d.halfWidth()).isCloseTo(1.959964 * Math.sqrt(0.001), within(1e-6));
    assertThat(VerdictRules.lower(d)).isEqualTo(Verdict.HOLDS);
    assertThat(VerdictRules.lower(VerdictRules.proportionDifference(0.8, 400, 0.6, 400)))
        .isEqualTo(Verdict.DOES_NOT_HOLD);
    // 0.70 vs 0.72 on 100 images each: se 0.0637, the interval contains 0
    assertThat(VerdictRules.lower(VerdictRules.proportionDifference(0.70, 100, 0.72, 100)))
        .isEqualTo(Verdict.CANNOT_TELL);
  }

  @Test
  void claimsOverSeveralComparisonsCombine() {
    Verdict h = Verdict.HOLDS;
    Verdict n = Verdict.DOES_NOT_HOLD;
    Verdict c = Verdict.CANNOT_TELL;
    assertThat(Verdict.combine(List.of(h, h, h))).isEqualTo(h);
    assertThat(Verdict.combine(List.of(h, c))).isEqualTo(c);
    assertThat(Verdict.combine(List.of(n, c))).isEqualTo(n);
    assertThat(Verdict.combine(List.of(n, n))).isEqualTo(n);
    assertThat(Verdict.combine(List.of(h, n))).isEqualTo(c);
    assertThat(Verdict.combine(List.of())).isEqualTo(c);
    assertThat(h.label()).isEqualTo("holds");
    assertThat(n.label()).isEqualTo("does not hold");
    assertThat(c.label()).isEqualTo("cannot tell");
  }

  private static SortedMap<Integer, Map<Integer, Double>> sweep(double[]... rows) {
    int[] sizes = {8, 16, 32, 64, 128};
    SortedMap<Integer, Map<Integer, Double>> out = new TreeMap<>();
    for (int i = 0; i < rows.length; i++) {
      Map<Integer, Double> bySeed = new TreeMap<>();
      for (int s = 0; s < rows[i].length; s++) {
        bySeed.put(s + 1, rows[i][s]);
      }
      out.put(sizes[i], bySeed);
    }
    return out;
  }

  @Test
  void zDimOptimum() {
    // a clear peak at 64: every seed 5 points above both neighbours (32 and 128)
    VerdictRules.Optimum peak = VerdictRules.optimum(sweep(new double[] {20, 21, 22}, new double[] {22, 23, 24},
        new double[] {25, 26, 27}, new double[] {30, 31, 32.5}, new double[] {25, 26, 27.2}), 64);
    assertThat(peak.argmax()).isEqualTo(64);
    assertThat(peak.neighbours()).containsExactly(32, 128);
    assertThat(peak.verdict()).isEqualTo(Verdict.HOLDS);
    assertThat(peak.minusTarget().get(32).mean()).isCloseTo(-5.1667, within(1e-4));
    // 16 beats 64 on every seed by 3 points: does not hold
    VerdictRules.Optimum elsewhere = VerdictRules.optimum(sweep(new double[] {20, 21, 22},
        new double[] {33, 34.5, 35}, new double[] {25, 26, 27}, new double[] {30, 31, 32},
        new double[] {25, 26, 27}), 64);
    assertThat(elsewhere.argmax()).isEqualTo(16);
    assertThat(elsewhere.verdict()).isEqualTo(Verdict.DOES_NOT_HOLD);
    // the highest mean is at 64 but 128 is level with it on the seeds: cannot tell
    VerdictRules.Optimum flat = VerdictRules.optimum(sweep(new double[] {20, 21, 22}, new double[] {22, 23, 24},
        new double[] {25, 26, 27}, new double[] {30, 31, 32}, new double[] {31, 29, 32.5}), 64);
    assertThat(flat.argmax()).isEqualTo(64);
    assertThat(flat.verdict()).isEqualTo(Verdict.CANNOT_TELL);
    // one seed: no intervals
    assertThat(VerdictRules.optimum(sweep(new double[] {1}, new double[] {2}, new double[] {3}, new double[] {9},
        new double[] {3}), 64).verdict()).isEqualTo(Verdict.CANNOT_TELL);
  }
}
