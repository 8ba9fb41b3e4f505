package io.ibreid.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pilot's β rule on hand-made grids. */
class BetaRuleTest {
  @Test
  void theLargestBetaWithinTheToleranceWinsEvenAcrossAGap() {
    Map<Double, Double> scores = new LinkedHashMap<>();
    scores.put(1.0, 30.0);   // 20 points below: out
    scores.put(1e-3, 50.5);
    scores.put(1e-1, 45.0);  // exactly reference - 5: in
    scores.put(1e-2, 44.9);  // just out, but a larger β is in
    BetaRule.Choice c = BetaRule.choose(scores, 50.0);
    assertThat(c.beta()).isEqualTo(1e-1);
    assertThat(c.qualifying()).containsExactly(1e-3, 1e-1);
    assertThat(c.fallback()).isFalse();
  }

  @Test
  void noneQualifyingFallsBackToTheSmallest() {
    BetaRule.Choice c = BetaRule.choose(Map.of(1e-2, 10.0, 1.0, 5.0, 1e-3, 20.0), 50.0);
    assertThat(c.beta()).isEqualTo(1e-3);
    assertThat(c.fallback()).isTrue();
    assertThat(c.qualifying()).isEmpty();
  }

  @Test
  void everyGridValueNeedsAScore() {
    Map<Double, Double> scores = new LinkedHashMap<>();
    scores.put(1e-3, Double.NaN);
    assertThatThrownBy(() -> BetaRule.choose(scores, 50)).hasMessageContaining("no validation score");
    assertThatThrownBy(() -> BetaRule.choose(Map.of(), 50)).hasMessageContaining("empty");
  }
}
