package io.ibreid.eval.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The pre-declared rule that picks a compression weight β from a pilot (the third ablation's VIB and binding-IB
 * pilot): β* is the largest β of the grid whose validation score (the best validation mAP of its pilot run, which is
 * what chose the run's checkpoint) is at least the reference's (baseline-ce on the same pilot seed) minus a tolerance
 * in points; when no β qualifies, the smallest β of the grid. Only the validation split is read.
 */
public final class BetaRule {
  /** The tolerance of the third ablation, in validation-mAP points. */
  public static final double TOLERANCE_POINTS = 5.0;

  public static final String RULE = "β* is the largest β of the grid whose pilot run's best validation mAP is at "
      + "least baseline-ce's (same pilot seed) minus " + TOLERANCE_POINTS + " points; if none is, the smallest β of "
      + "the grid";

  /**
   * The choice and why.
   *
   * @param beta the chosen β
   * @param qualifying the grid values whose score was within the tolerance
   * @param fallback whether no β qualified and the smallest was taken
   */
  public record Choice(double beta, List<Double> qualifying, boolean fallback) {}

  private BetaRule() {}

  /**
   * Applies the rule.
   *
   * @param scores β → the pilot run's best validation score (percent); every grid value must have one
   * @param reference the reference run's best validation score on the same seed (percent)
   * @param tolerance the allowed loss in points
   */
  public static Choice choose(Map<Double, Double> scores, double reference, double tolerance) {
    if (scores.isEmpty()) {
      throw new IllegalArgumentException("the β grid is empty");
    }
    if (!Double.isFinite(reference) || !(tolerance >= 0)) {
      throw new IllegalArgumentException("reference score " + reference + " and tolerance " + tolerance
          + " must be finite, the tolerance >= 0");
    }
    SortedMap<Double, Double> grid = new TreeMap<>(scores);
    List<Double> ok = new ArrayList<>();
    grid.forEach((beta, score) -> {
      if (score == null || !Double.isFinite(score)) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "β = %s has no validation score", beta));
      }
      if (score >= reference - tolerance) {
        ok.add(beta);
      }
    });
    if (ok.isEmpty()) {
      return new Choice(grid.firstKey(), List.of(), true);
    }
    return new Choice(ok.get(ok.size() - 1), List.copyOf(ok), false);
  }

  /** {@link #choose(Map, double, double)} with {@link #TOLERANCE_POINTS}. */
  public static Choice choose(Map<Double, Double> scores, double reference) {
    return choose(scores, reference, TOLERANCE_POINTS);
  }
}
