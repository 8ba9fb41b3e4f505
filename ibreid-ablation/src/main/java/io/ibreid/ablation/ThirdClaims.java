package io.ibreid.ablation;

import io.ibreid.eval.stats.Power;
import io.ibreid.eval.stats.SeedStatistics;
import io.ibreid.eval.stats.Verdict;
import io.ibreid.eval.stats.VerdictRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The third design's claims (docs/ablation-v3/design.md §6) judged from a {@link ThirdResults} by the rules of
 * {@link VerdictRules}: each comparison's paired t interval at the claims' level (first look: seeds 1–5; an extended
 * claim: every paired seed), its verdict, and next to every "cannot tell" the minimum detectable effect at 80 % power
 * at the observed paired sd ({@link Power#mde}).
 */
final class ThirdClaims {
  /** One comparison of a claim. */
  record Part(String text, SeedStatistics.Summary difference, Verdict verdict, double mde) {}

  /** A claim's verdict at one look. */
  record Result(String id, String claim, Verdict verdict, List<Part> parts) {
    /** The paired seeds of the claim's first comparison (0 when none). */
    int n() {
      return parts.isEmpty() || parts.get(0).difference() == null ? 0 : parts.get(0).difference().n();
    }
  }

  /** The primary claims, in the sequential rule's priority order, with what each says. */
  static final Map<String, String> CLAIMS = new java.util.LinkedHashMap<>();

  static {
    CLAIMS.put("C3", "VCD + VML make the shared space modality-free (z probe of modality: crossview below "
        + "vsd-shared)");
    CLAIMS.put("C1", "VSD beats the classic IB, in a form that binds (vsd-shared vs ib-upper)");
    CLAIMS.put("C2", "VSD beats VIB, β by the pilot's rule (vsd-shared vs vib-tuned)");
    CLAIMS.put("C7", "VSD keeps the identity and drops the identity-correlated background without a trade-off "
        + "(correlated lab: vsd-shared vs baseline-ce)");
    CLAIMS.put("C5", "three branches ≥ one where the branches meet (release wiring: full-release vs the shared "
        + "branch alone, crossview-release [release], each on the release's test feature)");
    CLAIMS.put("C4", "VCD + VML improve retrieval (crossview vs vsd-shared)");
  }

  private ThirdClaims() {}

  static final AblationReport.Column R1 = AblationReport.ZDIM_COLUMNS.get(0);
  static final AblationReport.Column MAP = AblationReport.ZDIM_COLUMNS.get(1);

  /** A claim judged on seeds up to {@code maxSeed} with intervals at {@code level}. */
  static Result judge(String id, ThirdResults r, int maxSeed, double level) {
    List<Part> parts = new ArrayList<>();
    switch (id) {
      case "C1" -> retrieval(parts, r, "sysu", "vsd-shared", null, "ib-upper", null, false, maxSeed, level);
      case "C2" -> retrieval(parts, r, "sysu", "vsd-shared", null, "vib-tuned", null, false, maxSeed, level);
      case "C3" -> probe(parts, r, "sysu", "crossview", "vsd-shared", "modality", maxSeed, level);
      case "C4" -> retrieval(parts, r, "sysu", "crossview", null, "vsd-shared", null, false, maxSeed, level);
      case "C5" -> retrieval(parts, r, "sysu", "full-release", null, "crossview-release", "release", true, maxSeed,
          level);
      case "C7" -> {
        probe(parts, r, "corr", "vsd-shared", "baseline-ce", "background", maxSeed, level);
        retrieval(parts, r, "corr", "vsd-shared", null, "baseline-ce", null, true, maxSeed, level);
      }
      default -> throw new IllegalArgumentException("no claim " + id);
    }
    return new Result(id, CLAIMS.get(id), Verdict.combine(parts.stream().map(Part::verdict).toList()), parts);
  }

  private static String label(String variant, String set) {
    return set == null ? variant : variant + " [" + set + "]";
  }

  private static void retrieval(List<Part> parts, ThirdResults r, String group, String a, String aSet, String b,
      String bSet, boolean atLeast, int maxSeed, double level) {
    for (AblationReport.Column c : List.of(R1, MAP)) {
      SeedStatistics.Summary d = ThirdResults.paired(ThirdResults.values(r.units(group, a, aSet), c),
          ThirdResults.values(r.units(group, b, bSet), c), level, maxSeed);
      Verdict v = atLeast ? VerdictRules.atLeast(d) : VerdictRules.greater(d);
      parts.add(part(label(a, aSet) + " − " + label(b, bSet) + " " + c.title(), d, v, level));
    }
  }

  private static void probe(List<Part> parts, ThirdResults r, String group, String a, String b, String factor,
      int maxSeed, double level) {
    SeedStatistics.Summary d = ThirdResults.paired(r.probe(group, a, factor), r.probe(group, b, factor), level,
        maxSeed);
    parts.add(part(a + " − " + b + " z-probe " + factor + " (accuracy points)", d, VerdictRules.lower(d), level));
  }

  private static Part part(String what, SeedStatistics.Summary d, Verdict v, double level) {
    double mde = d == null || d.n() < 2 || !(d.sd() > 0) ? Double.NaN : Power.mde(d.sd(), d.n(), level);
    String text;
    if (d == null) {
      text = what + ": no paired runs: " + v.label();
    } else {
      text = String.format(Locale.ROOT, "%s %s (%d seeds, %s %%): %s", what, d.difference(), d.n(), pct(level),
          v.label());
      if (v == Verdict.CANNOT_TELL && !Double.isNaN(mde)) {
        text += String.format(Locale.ROOT, "; MDE %.1f (80 %% power, paired sd %.2f)", mde, d.sd());
      }
    }
    return new Part(text, d, v, mde);
  }

  static String pct(double level) {
    return String.format(Locale.ROOT, level * 100 % 1 == 0 ? "%.0f" : "%.2f", level * 100);
  }

  /** Size → seed → all-search R1 of the z-dim sweep; the swept variant's own size comes from its sysu runs. */
  static SortedMap<Integer, Map<Integer, Double>> zdimR1(ThirdResults r) {
    SortedMap<Integer, Map<Integer, Double>> out = new TreeMap<>();
    if (r.plan.v3 == null) {
      return out;
    }
    for (int z : r.plan.v3.zdims()) {
      SortedMap<Integer, Double> v = ThirdResults.values(r.units("zdim", "vsd-shared", z, null), R1);
      if (v.isEmpty() && r.runs("zdim", "vsd-shared", z).isEmpty()) {
        // the swept config's own size: its main-table runs on the zdim block's seeds
        List<Integer> seeds = r.plan.v3.blocks().stream().filter(b -> b.group().equals("zdim")).flatMap(b -> b
            .seeds().stream()).toList();
        SortedMap<Integer, Double> own = ThirdResults.values(r.units("sysu", "vsd-shared", null), R1);
        v = new TreeMap<>();
        for (int s : seeds) {
          if (own.containsKey(s)) {
            v.put(s, own.get(s));
          }
        }
      }
      out.put(z, v);
    }
    return out;
  }
}
