package io.ibreid.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The greedy two-look walk on the third ablation's own claims and costs. */
class SequentialRuleTest {
  static List<SequentialRule.Claim> claims(Verdict c3, Verdict c1, Verdict c2, Verdict c7, Verdict c5) {
    return List.of(
        new SequentialRule.Claim("C3", c3, Map.of("crossview", 12.5, "vsd-shared", 12.5, "probes", 7.0)),
        new SequentialRule.Claim("C1", c1, Map.of("vsd-shared", 12.5, "ib-upper", 12.5)),
        new SequentialRule.Claim("C2", c2, Map.of("vsd-shared", 12.5, "vib-tuned", 12.5)),
        new SequentialRule.Claim("C7", c7, Map.of("corr baseline-ce", 12.5, "corr vsd-shared", 12.5,
            "corr probes", 7.0)),
        new SequentialRule.Claim("C5", c5, Map.of("full-release", 45.0, "crossview-release", 17.5)));
  }

  @Test
  void everythingUndecidedExtendsTheFirstTwoWithinTheCap() {
    Verdict u = Verdict.CANNOT_TELL;
    SequentialRule.Decision d = SequentialRule.decide(claims(u, u, u, u, u), 45);
    // C3 32 + C1 12.5 (vsd-shared already scheduled) = 44.5; C2 would add 12.5, C7 32, C5 62.5
    assertThat(d.extended()).containsExactly("C3", "C1");
    assertThat(d.skipped()).containsExactly("C2", "C7", "C5");
    assertThat(d.cost()).isCloseTo(44.5, within(1e-9));
  }

  @Test
  void decidedClaimsFreeTheBudgetForLaterOnes() {
    Verdict u = Verdict.CANNOT_TELL;
    SequentialRule.Decision d = SequentialRule.decide(claims(Verdict.HOLDS, u, u, u, u), 45);
    // C1 25 (vsd-shared now its own), C2 12.5 (vsd-shared shared) = 37.5; C7 32 does not fit
    assertThat(d.extended()).containsExactly("C1", "C2");
    assertThat(d.cost()).isCloseTo(37.5, within(1e-9));
    assertThat(d.skipped()).containsExactly("C7", "C5");
    SequentialRule.Decision none = SequentialRule.decide(claims(Verdict.HOLDS, Verdict.DOES_NOT_HOLD,
        Verdict.HOLDS, Verdict.HOLDS, Verdict.HOLDS), 45);
    assertThat(none.extended()).isEmpty();
    assertThat(none.cost()).isZero();
  }

  @Test
  void pococksLevelIsTheTwoLookConstant() {
    // Pocock (1977), two looks, overall two-sided 0.05: critical z 2.178, i.e. a nominal 0.0294 per look
    org.apache.commons.math3.distribution.NormalDistribution z =
        new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);
    assertThat(2 * (1 - z.cumulativeProbability(2.178))).isCloseTo(SequentialRule.POCOCK_ALPHA, within(1e-4));
    assertThat(SequentialRule.POCOCK_LEVEL).isCloseTo(0.9706, within(1e-9));
  }
}
