package io.ibreid.eval.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two-look sequential design of the third ablation: every primary claim is judged after its first seeds (look 1)
 * and, when it cannot tell, extended to more seeds if the runs that takes fit in a fixed budget (look 2). Both looks
 * use Pocock's nominal level for two looks at an overall two-sided α of 0.05 ({@link #POCOCK_LEVEL}: each look's
 * interval at 97.06 %), so a claim's chance of a verdict when nothing differs stays near 5 %. The walk is greedy in the
 * pre-declared priority order: a claim that cannot tell is extended when the cost of its runs not already scheduled
 * (by an earlier claim) fits in what is left of the cap; otherwise it is skipped and the walk goes on; decided
 * claims stop at look 1.
 */
public final class SequentialRule {
  /** Pocock's nominal two-sided α for two equally spaced looks at overall α = 0.05 (critical z 2.178). */
  public static final double POCOCK_ALPHA = 0.0294;
  /** The two-sided confidence level of both looks' intervals. */
  public static final double POCOCK_LEVEL = 1 - POCOCK_ALPHA;

  public static final String RULE = "primary claims are judged at n = 5 seeds with 97.06 % t intervals (Pocock's "
      + "level for two looks at overall α = 0.05); in the pre-declared priority order, a claim that cannot tell is "
      + "extended to seeds 6–10 when the estimated cost of its runs not already scheduled fits in what is left of "
      + "the cap, and is then judged at n = 10 with 97.06 % intervals; decided claims stop at n = 5";

  /**
   * A claim at look 1.
   *
   * @param id the claim's name
   * @param firstLook its verdict at look 1
   * @param needs the units of work its extension needs (e.g. {@code sysu/crossview seeds 6-10}) and their estimated
   *     cost in minutes; a unit shared with another claim is counted once
   */
  public record Claim(String id, Verdict firstLook, Map<String, Double> needs) {
    public Claim {
      needs = new LinkedHashMap<>(needs);
    }
  }

  /**
   * The outcome.
   *
   * @param extended the claims extended, in order
   * @param skipped the claims that could not tell but did not fit
   * @param units every unit scheduled
   * @param cost the estimated minutes of the scheduled units
   */
  public record Decision(List<String> extended, List<String> skipped, Set<String> units, double cost) {}

  private SequentialRule() {}

  /** Walks {@code claims} (priority order) with a budget of {@code capMinutes}. */
  public static Decision decide(List<Claim> claims, double capMinutes) {
    if (!(capMinutes >= 0)) {
      throw new IllegalArgumentException("the cap must be >= 0 minutes, got " + capMinutes);
    }
    List<String> extended = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Set<String> units = new LinkedHashSet<>();
    double used = 0;
    for (Claim c : claims) {
      if (c.firstLook() != Verdict.CANNOT_TELL) {
        continue;
      }
      double extra = 0;
      for (Map.Entry<String, Double> e : c.needs().entrySet()) {
        if (!(e.getValue() >= 0)) {
          throw new IllegalArgumentException("claim " + c.id() + ": unit " + e.getKey() + " has cost " + e.getValue());
        }
        if (!units.contains(e.getKey())) {
          extra += e.getValue();
        }
      }
      if (used + extra <= capMinutes + 1e-9) {
        used += extra;
        units.addAll(c.needs().keySet());
        extended.add(c.id());
      } else {
        skipped.add(c.id());
      }
    }
    return new Decision(List.copyOf(extended), List.copyOf(skipped), Set.copyOf(units), used);
  }
}
