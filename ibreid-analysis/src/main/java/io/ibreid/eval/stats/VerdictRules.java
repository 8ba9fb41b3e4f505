package io.ibreid.eval.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The rules that turn confidence intervals into {@link Verdict}s, fixed in code before any ablation result existed.
 * Every interval is two-sided 95 % ({@link SeedStatistics#LEVEL}); a difference is always "method minus reference",
 * paired seed by seed, in percentage points. An interval that cannot be computed (fewer than two paired seeds) is
 * always "cannot tell". The {@code *_RULE} strings are the rules as the report prints them.
 */
public final class VerdictRules {
  /**
   * Non-inferiority margin of the "at least as good" rule, in percentage points (R1 or mAP): a method is "at least
   * as good" when its paired interval excludes a loss of more than this.
   */
  public static final double MARGIN_POINTS = 1.0;

  public static final String GREATER_RULE = "\"A > B\" holds when the 95 % t interval of the paired difference "
      + "A − B lies entirely above 0, does not hold when it lies entirely below 0, cannot tell otherwise (it "
      + "contains 0, or fewer than 2 paired seeds)";
  public static final String AT_LEAST_RULE = "\"A ≥ B\" (non-inferiority, margin " + MARGIN_POINTS + " point): "
      + "does not hold when the 95 % t interval of A − B lies entirely below 0; otherwise holds when its lower end "
      + "is above −" + MARGIN_POINTS + "; cannot tell otherwise (or fewer than 2 paired seeds)";
  public static final String LOWER_PROPORTION_RULE = "\"A's probe accuracy < B's\" (one probe per variant, so "
      + "no seeds): holds when the 95 % normal interval of the difference of the two held-out accuracies "
      + "(standard error √(a(1−a)/nₐ + b(1−b)/n_b) over the scored images) lies entirely below 0, does not hold "
      + "when it lies entirely above 0, cannot tell otherwise";
  public static final String COMBINE_RULE = "a claim judged on several comparisons holds when every comparison "
      + "holds, does not hold when at least one does not hold and none holds, and is cannot tell otherwise";
  public static final String OPTIMUM_RULE = "\"the optimum is at size T\": the size with the highest mean R1 is "
      + "the argmax; does not hold when some other size's paired difference from T (same seeds) has a 95 % t "
      + "interval entirely above 0; otherwise holds when the argmax is T and the paired differences T − N for "
      + "both neighbouring sizes N have intervals entirely above 0; cannot tell otherwise";

  private VerdictRules() {}

  private static boolean computable(SeedStatistics.Summary d) {
    return d != null && !Double.isNaN(d.halfWidth());
  }

  /** "method > reference" from the paired difference method − reference ({@link #GREATER_RULE}). */
  public static Verdict greater(SeedStatistics.Summary difference) {
    if (!computable(difference)) {
      return Verdict.CANNOT_TELL;
    }
    if (difference.low() > 0) {
      return Verdict.HOLDS;
    }
    if (difference.high() < 0) {
      return Verdict.DOES_NOT_HOLD;
    }
    return Verdict.CANNOT_TELL;
  }

  /** "method ≥ reference" from the paired difference, with the margin {@link #MARGIN_POINTS} ({@link #AT_LEAST_RULE}). */
  public static Verdict atLeast(SeedStatistics.Summary difference) {
    return atLeast(difference, MARGIN_POINTS);
  }

  /** "method ≥ reference" with a non-inferiority margin (in the difference's units, ≥ 0). */
  public static Verdict atLeast(SeedStatistics.Summary difference, double margin) {
    if (!computable(difference)) {
      return Verdict.CANNOT_TELL;
    }
    if (difference.high() < 0) {
      return Verdict.DOES_NOT_HOLD;
    }
    if (difference.low() > -margin) {
      return Verdict.HOLDS;
    }
    return Verdict.CANNOT_TELL;
  }

  /**
   * The difference {@code a − b} of two accuracies (fractions) measured on {@code na} and {@code nb} scored
   * images, with a two-sided 95 % normal-approximation interval; {@code n} of the summary is {@code min(na, nb)},
   * its {@code sd} the standard error. Treating the two as independent is conservative when both probes score the
   * same images.
   */
  public static SeedStatistics.Summary proportionDifference(double a, int na, double b, int nb) {
    if (na < 1 || nb < 1) {
      throw new IllegalArgumentException("accuracies need at least one scored image: " + na + ", " + nb);
    }
    double se = Math.sqrt(a * (1 - a) / na + b * (1 - b) / nb);
    double z = new NormalDistribution(null, 0, 1).inverseCumulativeProbability(0.5 + SeedStatistics.LEVEL / 2);
    return new SeedStatistics.Summary(Math.min(na, nb), a - b, se, z * se);
  }

  /** "A's accuracy is lower than B's" from {@link #proportionDifference} A − B ({@link #LOWER_PROPORTION_RULE}). */
  public static Verdict lower(SeedStatistics.Summary difference) {
    if (!computable(difference)) {
      return Verdict.CANNOT_TELL;
    }
    if (difference.high() < 0) {
      return Verdict.HOLDS;
    }
    if (difference.low() > 0) {
      return Verdict.DOES_NOT_HOLD;
    }
    return Verdict.CANNOT_TELL;
  }

  /**
   * The outcome of {@link #optimum}: the size with the highest mean, each size's mean, each other size's paired
   * difference from the target (size − target, on the seeds both have), and the verdict.
   */
  public record Optimum(int argmax, SortedMap<Integer, Double> means,
      Map<Integer, SeedStatistics.Summary> minusTarget, List<Integer> neighbours, Verdict verdict) {}

  /**
   * "The optimum is at {@code target}" ({@link #OPTIMUM_RULE}) from the values of each size by seed.
   *
   * @param bySize size → seed → value (e.g. R1 in percent); sizes without values are ignored
   * @param target the size the claim names (e.g. D/8)
   */
  public static Optimum optimum(SortedMap<Integer, ? extends Map<Integer, Double>> bySize, int target) {
    SortedMap<Integer, Double> means = new TreeMap<>();
    bySize.forEach((size, values) -> {
      if (!values.isEmpty()) {
        means.put(size, values.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow());
      }
    });
    if (means.isEmpty()) {
      return new Optimum(-1, means, Map.of(), List.of(), Verdict.CANNOT_TELL);
    }
    int argmax = means.firstKey();
    for (Map.Entry<Integer, Double> e : means.entrySet()) {
      if (e.getValue() > means.get(argmax)) {
        argmax = e.getKey();
      }
    }
    Map<Integer, SeedStatistics.Summary> minusTarget = new LinkedHashMap<>();
    Map<Integer, Double> t = bySize.get(target);
    List<Integer> neighbours = new ArrayList<>();
    if (t == null || t.isEmpty()) {
      return new Optimum(argmax, means, minusTarget, neighbours, Verdict.CANNOT_TELL);
    }
    List<Integer> sizes = new ArrayList<>(means.keySet());
    int at = sizes.indexOf(target);
    if (at > 0) {
      neighbours.add(sizes.get(at - 1));
    }
    if (at >= 0 && at < sizes.size() - 1) {
      neighbours.add(sizes.get(at + 1));
    }
    for (int size : sizes) {
      if (size == target) {
        continue;
      }
      Map<Integer, Double> s = bySize.get(size);
      List<Integer> seeds = s.keySet().stream().filter(t::containsKey).sorted().toList();
      if (seeds.isEmpty()) {
        continue;
      }
      minusTarget.put(size, SeedStatistics.paired(seeds.stream().mapToDouble(s::get).toArray(),
          seeds.stream().mapToDouble(t::get).toArray()));
    }
    Verdict verdict;
    if (minusTarget.values().stream().anyMatch(d -> computable(d) && d.low() > 0)) {
      verdict = Verdict.DOES_NOT_HOLD;
    } else if (argmax == target && !neighbours.isEmpty() && neighbours.stream().allMatch(n -> {
      SeedStatistics.Summary d = minusTarget.get(n);
      return computable(d) && d.high() < 0;
    })) {
      verdict = Verdict.HOLDS;
    } else {
      verdict = Verdict.CANNOT_TELL;
    }
    return new Optimum(argmax, means, minusTarget, neighbours, verdict);
  }
}
