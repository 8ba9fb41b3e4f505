package io.ibreid.ablation;

import com.fasterxml.jackson.databind.JsonNode;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.eval.report.BarChart;
import io.ibreid.eval.report.LineChart;
import io.ibreid.eval.stats.BetaRule;
import io.ibreid.eval.stats.Power;
import io.ibreid.eval.stats.SeedStatistics;
import io.ibreid.eval.stats.SequentialRule;
import io.ibreid.eval.stats.Verdict;
import io.ibreid.eval.stats.VerdictRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The third design's report ({@code ablation.md}, {@code ablation.json}, {@code probe.json}, {@code ablation.png},
 * {@code zdim.png}, {@code curves/VARIANT.png}) from whatever has finished: the claims with both looks, the pilot and
 * its rule, the SYSU table, the release-gain decomposition, probes over seeds (what each term removed), the
 * regularisers' curves, the correlated lab, RegDB with seed = trial, the z-dim sweep, the trajectory test and the
 * reproduction checks. Descriptive intervals are 95 %; the claims' are at {@link AblationV3#claimLevel()}.
 */
final class AblationReportV3 {
  static final double DESCRIPTIVE = SeedStatistics.LEVEL;
  /** The release-gain decomposition (design §6, D1–D9): row, reference, what it isolates. */
  static final List<String[]> DECOMPOSITION = List.of(
      new String[] {"D1", "baseline-ce-gray", "baseline-ce", "grayscale augmentation of visible images"},
      new String[] {"D2", "baseline-ce-2x", "baseline-ce", "twice the images a step (compute only)"},
      new String[] {"D3", "crossview-2x", "crossview", "compute, with VCD + VML on"},
      new String[] {"D4", "baseline-release", "baseline-ce-2x", "each image and its grayscale copy instead of twice "
          + "the distinct images, no terms"},
      new String[] {"D5", "crossview-release", "baseline-release", "VCD + VML under the release's wiring"},
      new String[] {"D6", "crossview-release", "crossview-2x", "release wiring vs paper's at matched compute, terms "
          + "on"},
      new String[] {"D7", "full-release [shared-z]", "crossview-release", "the specific branches under the "
          + "release's wiring (initialisation only expected)"},
      new String[] {"D8", "full-release [shared-z]", "crossview-2x", "the release's three-branch design vs the "
          + "paper's shared branch at matched compute"},
      new String[] {"D9", "full-release [shared-z]", "full", "v2's release-against-paper gap, for reference"});
  /** The probe factors shown in the summary tables (all are in probe.json). */
  static final List<String> KEY_FACTORS = List.of("identity", "modality", "camera", "background", "upper colour",
      "upper heat", "illumination", "facing");

  private final ThirdResults r;
  private final String date;

  private AblationReportV3(ThirdResults r, String date) {
    this.r = r;
    this.date = date;
  }

  static AblationReportV3 of(AblationPlan plan, Map<String, JsonNode> fingerprints, String date) throws IOException {
    return new AblationReportV3(ThirdResults.load(plan, fingerprints), date);
  }

  /** Every primary claim's verdict on the first look's seeds (1–5). */
  Map<String, Verdict> firstLook() {
    Map<String, Verdict> out = new LinkedHashMap<>();
    for (String id : ThirdClaims.CLAIMS.keySet()) {
      out.put(id, ThirdClaims.judge(id, r, 5, AblationV3.claimLevel()).verdict());
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static String row(String group, String variant, String set) {
    return (group.equals("sysu") ? "" : group + " ") + variant + (set == null ? "" : " [" + set + "]");
  }

  /** "variant" or "variant [set]" → its units in {@code group}. */
  private SortedMap<Integer, JsonNode> unitsOf(String group, String label) {
    int at = label.indexOf(" [");
    return at < 0 ? r.units(group, label, null) : r.units(group, label.substring(0, at),
        label.substring(at + 2, label.length() - 1));
  }

  private static String cell(SeedStatistics.Summary s) {
    return s == null ? "–" : s.meanSdCi();
  }

  private static String diff(SeedStatistics.Summary s) {
    return s == null ? "–" : s.difference();
  }

  private static String mde(SeedStatistics.Summary s, double level) {
    if (s == null || s.n() < 2 || !(s.sd() > 0)) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.1f", Power.mde(s.sd(), s.n(), level));
  }

  private List<String> variants(String group) {
    Set<String> out = new LinkedHashSet<>();
    for (AblationPlan.Run run : r.plan.runs) {
      if (run.group().equals(group)) {
        out.add(run.variant());
      }
    }
    return new ArrayList<>(out);
  }

  // ------------------------------------------------------------------------------------------------ markdown

  String markdown() {
    StringBuilder md = new StringBuilder();
    AblationPlan.Settings s = r.plan.settings;
    md.append("# Ablation (third design), ").append(date).append("\n\n");
    md.append(String.format(Locale.ROOT, "Design: docs/ablation-v3/design.md (pre-registered) and plan.json. Every "
        + "run trains %d iterations (%d epochs of %d batches; validation on held-out training identities after each "
        + "epoch; the checkpoint with the best validation mAP is evaluated); SYSU-layout labs single-shot, %d random "
        + "galleries. Kernels: %s. %d runs were imported from earlier ablations (the same resolved config and data "
        + "fingerprint), %d of them retrained for their probes.\n", s.iterations(), s.epochs(),
        s.iterations() / s.epochs(), s.sysuTrials(), s.kernels(), r.imported.size(), r.reproduction.size()));
    md.append("\nPaired = same seed (RegDB: seed = trial). Differences are row − reference in points; descriptive "
        + "intervals are 95 % t intervals (* = excludes zero); the claims' are ")
        .append(ThirdClaims.pct(AblationV3.claimLevel())).append(" % (Pocock, two looks). MDE = the smallest "
            + "difference the design detects with 80 % power at the observed paired sd (noncentral t).\n");
    claims(md);
    pilot(md);
    sysu(md);
    decomposition(md);
    probes(md);
    regularisers(md);
    corr(md);
    regdb(md);
    zdim(md);
    trajectory(md);
    reproduction(md);
    md.append("\n![R1 and mAP per variant](ablation.png)\n");
    return md.toString();
  }

  private void claims(StringBuilder md) {
    md.append("\n## Verdicts on the paper's claims\n\n");
    List<String> extended = r.extended();
    md.append("| claim | first look (seeds 1–5) | second look | verdict | from |\n|---|---|---|---|---|\n");
    double level = AblationV3.claimLevel();
    for (String id : ThirdClaims.CLAIMS.keySet()) {
      ThirdClaims.Result first = ThirdClaims.judge(id, r, 5, level);
      boolean ext = extended.contains(id);
      ThirdClaims.Result fin = ext ? ThirdClaims.judge(id, r, Integer.MAX_VALUE, level) : first;
      String second = r.sequential == null ? "not decided yet" : ext ? "extended, n = " + fin.n() : "not extended";
      md.append("| ").append(id).append(": ").append(first.claim()).append(" | ").append(first.verdict().label())
          .append(" | ").append(second).append(" | **").append(fin.verdict().label()).append("** | ")
          .append(String.join("; ", fin.parts().stream().map(ThirdClaims.Part::text).toList())).append(" |\n");
    }
    SortedMap<Integer, Map<Integer, Double>> z = ThirdClaims.zdimR1(r);
    int target = r.plan.observationSize / AblationDefaults.ZDIM_CLAIMED_DIVISOR;
    if (!z.isEmpty() && target > 0) {
      VerdictRules.Optimum o = VerdictRules.optimum(z, target);
      List<String> t = new ArrayList<>();
      t.add("argmax of mean all-search R1: z = " + (o.argmax() < 0 ? "–" : o.argmax()));
      o.minusTarget().forEach((size, d) -> t.add("R1(z=" + size + ") − R1(z=" + target + ") " + d.difference()
          + (o.neighbours().contains(size) ? " (neighbour)" : "")));
      md.append("| C6: z-dim optimum near D/8 (z = ").append(target).append(", 95 %, 3 seeds) | – | – | **")
          .append(o.verdict().label()).append("** | ").append(String.join("; ", t)).append(" |\n");
    }
    if (r.sequential != null) {
      md.append(String.format(Locale.ROOT, "\nSequential rule: extended %s (estimated %.1f of %.0f minutes); "
          + "skipped %s.\n", r.sequential.path("extended"), r.sequential.path("costMinutes").asDouble(),
          r.sequential.path("capMinutes").asDouble(), r.sequential.path("skipped")));
    }
    md.append("\nRules, fixed in code before any result (`VerdictRules`, `SequentialRule`):\n\n");
    for (String rule : List.of(VerdictRules.GREATER_RULE, VerdictRules.AT_LEAST_RULE, VerdictRules.OPTIMUM_RULE,
        VerdictRules.COMBINE_RULE, SequentialRule.RULE)) {
      md.append("- ").append(rule.replace("95 %", ThirdClaims.pct(level) + " % (C6: 95 %)")).append(".\n");
    }
    md.append("- \"A's probe accuracy < B's\": the paired t interval over seeds of the difference of the two z "
        + "probes' held-out accuracies lies entirely below 0 (holds), entirely above 0 (does not hold), else cannot "
        + "tell.\n");
    md.append("- Multiplicity: only these claims carry verdicts, each a separate question of the paper fixed in "
        + "advance and judged at the Pocock level for its own two looks, with no correction across claims; every "
        + "other interval in this report is descriptive at 95 %, and if nothing differed about one in twenty of "
        + "them would still exclude zero.\n");
  }

  private void pilot(StringBuilder md) {
    AblationV3.Design d = r.plan.v3;
    SortedMap<Integer, JsonNode> base = r.units("pilot", "baseline-ce", null);
    double ref = base.isEmpty() ? Double.NaN : validation(base.values().iterator().next());
    md.append("\n## Pilot: β by the pre-declared rule (seed ").append(d.pilotSeed()).append(")\n\n");
    md.append("Rule (`BetaRule`): ").append(BetaRule.RULE).append(". baseline-ce's best validation mAP: ")
        .append(Double.isNaN(ref) ? "–" : String.format(Locale.ROOT, "%.2f", ref)).append(".\n\n");
    md.append("| variant | ").append(String.join(" | ", d.betaGrid().stream().map(b -> "β = " + AblationV3.beta(b))
        .toList())).append(" | rule's β | config's β |\n|---|").append("---|".repeat(d.betaGrid().size() + 2))
        .append('\n');
    for (AblationV3.Tuned t : d.tuned()) {
      Map<Double, Double> scores = new LinkedHashMap<>();
      md.append("| ").append(t.pilotVariant()).append(" |");
      for (double b : d.betaGrid()) {
        SortedMap<Integer, JsonNode> u = r.units("pilot", AblationPlanV3.pilotLabel(t, b), null);
        double v = u.isEmpty() ? Double.NaN : validation(u.values().iterator().next());
        if (!Double.isNaN(v)) {
          scores.put(b, v);
        }
        md.append(' ').append(Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v)).append(" |");
      }
      String rule = "–";
      if (scores.size() == d.betaGrid().size() && !Double.isNaN(ref)) {
        BetaRule.Choice c = BetaRule.choose(scores, ref);
        rule = AblationV3.beta(c.beta()) + (c.fallback() ? " (none within 5 points)" : "");
      }
      md.append(' ').append(rule).append(" | ").append(configBeta(t)).append(" |\n");
    }
  }

  /** The β the tuned config's runs resolve to (from the plan). */
  private String configBeta(AblationV3.Tuned t) {
    for (AblationPlan.Run run : r.plan.runs) {
      if (run.variant().equals(t.tunedVariant()) && run.group().equals("sysu")) {
        for (RunConfig.LossSpec l : run.config().losses) {
          if (l.type.equals(t.lossType()) && l.params.get("beta") instanceof Number n) {
            return AblationV3.beta(n.doubleValue());
          }
        }
      }
    }
    return "–";
  }

  /** The best validation score of a run (percent), from its metrics.json. */
  private static double validation(JsonNode metrics) {
    JsonNode v = metrics.path("validation").path("score");
    return v.isNumber() ? v.asDouble() : Double.NaN;
  }

  private void sysu(StringBuilder md) {
    md.append("\n## SYSU-layout lab (all-search and indoor, single-shot)\n\n| variant | runs |");
    AblationReport.SYSU_COLUMNS.forEach(c -> md.append(' ').append(c.title()).append(" |"));
    md.append(" R1 − baseline-ce | mAP − baseline-ce | MDE (R1) |\n|---|---|")
        .append("---|".repeat(AblationReport.SYSU_COLUMNS.size() + 3)).append('\n');
    SortedMap<Integer, JsonNode> base = r.units("sysu", "baseline-ce", null);
    for (String v : variants("sysu")) {
      List<String> sets = new ArrayList<>();
      sets.add(null);
      sets.addAll(r.featureSets("sysu", v));
      for (String set : sets) {
        SortedMap<Integer, JsonNode> u = r.units("sysu", v, set);
        if (u.isEmpty()) {
          continue;
        }
        md.append("| ").append(row("sysu", v, set)).append(" | ").append(u.size()).append(" |");
        for (AblationReport.Column c : AblationReport.SYSU_COLUMNS) {
          md.append(' ').append(cell(ThirdResults.of(ThirdResults.values(u, c), DESCRIPTIVE))).append(" |");
        }
        SeedStatistics.Summary d1 = v.equals("baseline-ce") && set == null ? null : ThirdResults.paired(
            ThirdResults.values(u, ThirdClaims.R1), ThirdResults.values(base, ThirdClaims.R1), DESCRIPTIVE,
            Integer.MAX_VALUE);
        SeedStatistics.Summary d2 = v.equals("baseline-ce") && set == null ? null : ThirdResults.paired(
            ThirdResults.values(u, ThirdClaims.MAP), ThirdResults.values(base, ThirdClaims.MAP), DESCRIPTIVE,
            Integer.MAX_VALUE);
        md.append(' ').append(diff(d1)).append(" | ").append(diff(d2)).append(" | ").append(mde(d1, DESCRIPTIVE))
            .append(" |\n");
      }
    }
  }

  private void decomposition(StringBuilder md) {
    md.append("\n## Where the release's gain comes from (design §6, D1–D9; shared branch's z unless named)\n\n");
    md.append("| id | difference | what it isolates | paired | R1 | mAP | MDE (R1) |\n|---|---|---|---|---|---|---|\n");
    for (String[] d : DECOMPOSITION) {
      SortedMap<Integer, JsonNode> a = unitsOf("sysu", d[1]);
      SortedMap<Integer, JsonNode> b = unitsOf("sysu", d[2]);
      SeedStatistics.Summary r1 = ThirdResults.paired(ThirdResults.values(a, ThirdClaims.R1),
          ThirdResults.values(b, ThirdClaims.R1), DESCRIPTIVE, Integer.MAX_VALUE);
      SeedStatistics.Summary map = ThirdResults.paired(ThirdResults.values(a, ThirdClaims.MAP),
          ThirdResults.values(b, ThirdClaims.MAP), DESCRIPTIVE, Integer.MAX_VALUE);
      md.append("| ").append(d[0]).append(" | ").append(d[1]).append(" − ").append(d[2]).append(" | ").append(d[3])
          .append(" | ").append(r1 == null ? 0 : r1.n()).append(" | ").append(diff(r1)).append(" | ")
          .append(diff(map)).append(" | ").append(mde(r1, DESCRIPTIVE)).append(" |\n");
    }
  }

  private void probes(StringBuilder md) {
    if (r.probes.isEmpty()) {
      return;
    }
    Map<String, String> factors = r.probeFactors();
    List<String> shown = KEY_FACTORS.stream().filter(factors::containsKey).toList();
    md.append("\n## Probes of z over seeds: what each term removed\n\nLinear probes of the evaluated branch's z at "
        + "the best checkpoint (held-out accuracy %, R² × 100 for continuous factors), mean [95 % t interval] over "
        + "the probed seeds; below, each variant's difference from baseline-ce on the same lab, paired by seed. Every "
        + "factor is in probe.json.\n\n| lab | variant | seeds |");
    shown.forEach(f -> md.append(' ').append(f).append(" |"));
    md.append("\n|---|---|---|").append("---|".repeat(shown.size())).append('\n');
    for (String group : List.of("sysu", "corr")) {
      for (String v : variants(group)) {
        if (r.probe(group, v, "identity").isEmpty()) {
          continue;
        }
        md.append("| ").append(group).append(" | ").append(v).append(" | ").append(r.probe(group, v, "identity")
            .size()).append(" |");
        for (String f : shown) {
          SeedStatistics.Summary s = ThirdResults.of(r.probe(group, v, f), DESCRIPTIVE);
          md.append(' ').append(s == null ? "–" : s.n() < 2 ? String.format(Locale.ROOT, "%.1f", s.mean())
              : String.format(Locale.ROOT, "%.1f [%.1f, %.1f]", s.mean(), s.low(), s.high())).append(" |");
        }
        md.append('\n');
      }
    }
    md.append("\n| lab | variant − baseline-ce | paired |");
    shown.forEach(f -> md.append(' ').append(f).append(" |"));
    md.append("\n|---|---|---|").append("---|".repeat(shown.size())).append('\n');
    for (String group : List.of("sysu", "corr")) {
      for (String v : variants(group)) {
        if (v.equals("baseline-ce") || r.probe(group, v, "identity").isEmpty()) {
          continue;
        }
        SeedStatistics.Summary first = ThirdResults.paired(r.probe(group, v, "identity"),
            r.probe(group, "baseline-ce", "identity"), DESCRIPTIVE, Integer.MAX_VALUE);
        md.append("| ").append(group).append(" | ").append(v).append(" | ").append(first == null ? 0 : first.n())
            .append(" |");
        for (String f : shown) {
          md.append(' ').append(diff(ThirdResults.paired(r.probe(group, v, f), r.probe(group, "baseline-ce", f),
              DESCRIPTIVE, Integer.MAX_VALUE))).append(" |");
        }
        md.append('\n');
      }
    }
  }

  private void regularisers(StringBuilder md) {
    Map<String, List<ThirdCurves.Curve>> curves = ThirdCurves.byVariant(r);
    if (curves.isEmpty()) {
      return;
    }
    md.append("\n## Regularisers shown to act\n\nPer regularised variant: each non-CE/triplet term's weighted value "
        + "against the representation's cross-entropy CE(z) over training (mean over the runs with `terms.json`), "
        + "and over the last 500 iterations the mean ratio of the weighted term to CE(z) and of their weighted "
        + "output-space gradient norms (– where the run predates the gradient-norm diagnostic). The term's own "
        + "diagnostics (bounds in nats, KL) are in terms.json.\n\n| variant | runs | term | weight | ratio to CE(z), "
        + "last 500 it. | gradient-norm ratio | curve |\n|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, List<ThirdCurves.Curve>> e : curves.entrySet()) {
      for (ThirdCurves.Curve c : e.getValue()) {
        md.append("| ").append(e.getKey()).append(" | ").append(c.runs()).append(" | ").append(c.term())
            .append(" (").append(c.type()).append(") | ").append(String.format(Locale.ROOT, "%s", c.weight()))
            .append(" | ").append(fmt(c.valueRatio())).append(" | ").append(fmt(c.gradRatio())).append(" | [png]("
                + ThirdCurves.png(e.getKey()) + ") |\n");
      }
    }
  }

  private static String fmt(double x) {
    return Double.isNaN(x) ? "–" : String.format(Locale.ROOT, Math.abs(x) < 0.01 ? "%.2e" : "%.3f", x);
  }

  private void corr(StringBuilder md) {
    List<String> vs = variants("corr");
    if (vs.isEmpty()) {
      return;
    }
    md.append("\n## Correlated lab (correlation ").append(AblationV3.CORRELATION).append(": a training identity's "
        + "image shows its preferred background with that probability; test identities' backgrounds are random)\n\n"
        + "| variant | runs | all R1 | all mAP | z-probe background | R1 − baseline-ce | mAP − baseline-ce | "
        + "background − baseline-ce |\n|---|---|---|---|---|---|---|---|\n");
    SortedMap<Integer, JsonNode> base = r.units("corr", "baseline-ce", null);
    for (String v : vs) {
      SortedMap<Integer, JsonNode> u = r.units("corr", v, null);
      boolean ref = v.equals("baseline-ce");
      md.append("| ").append(v).append(" | ").append(u.size()).append(" | ")
          .append(cell(ThirdResults.of(ThirdResults.values(u, ThirdClaims.R1), DESCRIPTIVE))).append(" | ")
          .append(cell(ThirdResults.of(ThirdResults.values(u, ThirdClaims.MAP), DESCRIPTIVE))).append(" | ")
          .append(cell(ThirdResults.of(r.probe("corr", v, "background"), DESCRIPTIVE))).append(" | ")
          .append(ref ? "–" : diff(ThirdResults.paired(ThirdResults.values(u, ThirdClaims.R1),
              ThirdResults.values(base, ThirdClaims.R1), DESCRIPTIVE, Integer.MAX_VALUE))).append(" | ")
          .append(ref ? "–" : diff(ThirdResults.paired(ThirdResults.values(u, ThirdClaims.MAP),
              ThirdResults.values(base, ThirdClaims.MAP), DESCRIPTIVE, Integer.MAX_VALUE))).append(" | ")
          .append(ref ? "–" : diff(ThirdResults.paired(r.probe("corr", v, "background"),
              r.probe("corr", "baseline-ce", "background"), DESCRIPTIVE, Integer.MAX_VALUE))).append(" |\n");
    }
    SeedStatistics.Summary manip = ThirdResults.paired(r.probe("corr", "baseline-ce", "background"),
        r.probe("sysu", "baseline-ce", "background"), DESCRIPTIVE, Integer.MAX_VALUE);
    md.append("\nManipulation check: baseline-ce's z-probe of the background, correlated − default lab, paired by "
        + "seed: ").append(diff(manip)).append(".\n");
  }

  private void regdb(StringBuilder md) {
    List<String> vs = variants("regdb");
    if (vs.isEmpty()) {
      return;
    }
    md.append("\n## RegDB-layout lab, seed = trial (the second design trained every trial with seed 1: its table is "
        + "in docs/ablation-v2/ablation.md)\n\n| variant | runs |");
    AblationReport.REGDB_COLUMNS.forEach(c -> md.append(' ').append(c.title()).append(" |"));
    md.append("\n|---|---|").append("---|".repeat(AblationReport.REGDB_COLUMNS.size())).append('\n');
    for (String v : vs) {
      SortedMap<Integer, JsonNode> u = r.units("regdb", v, null);
      md.append("| ").append(v).append(" | ").append(u.size()).append(" |");
      for (AblationReport.Column c : AblationReport.REGDB_COLUMNS) {
        md.append(' ').append(cell(ThirdResults.of(ThirdResults.values(u, c), DESCRIPTIVE))).append(" |");
      }
      md.append('\n');
    }
    if (vs.contains("full") && vs.contains("crossview")) {
      md.append("\nfull − crossview, paired by (seed = trial):");
      for (AblationReport.Column c : AblationReport.REGDB_COLUMNS) {
        SeedStatistics.Summary d = ThirdResults.paired(ThirdResults.values(r.units("regdb", "full", null), c),
            ThirdResults.values(r.units("regdb", "crossview", null), c), DESCRIPTIVE, Integer.MAX_VALUE);
        md.append(' ').append(c.title()).append(' ').append(diff(d)).append(" (MDE ").append(mde(d, DESCRIPTIVE))
            .append(");");
      }
      md.append('\n');
    }
  }

  private void zdim(StringBuilder md) {
    SortedMap<Integer, Map<Integer, Double>> z = ThirdClaims.zdimR1(r);
    if (z.isEmpty()) {
      return;
    }
    int target = r.plan.observationSize / AblationDefaults.ZDIM_CLAIMED_DIVISOR;
    md.append("\n## z-dim sweep of vsd-shared (D = ").append(r.plan.observationSize).append(", SYSU all-search; "
        + "z = 256 is the main table's vsd-shared)\n\n| z-dim | seeds | all R1 | R1 − R1(z=").append(target)
        .append("), paired |\n|---|---|---|---|\n");
    SortedMap<Integer, Double> t = new TreeMap<>(z.getOrDefault(target, Map.of()));
    for (Map.Entry<Integer, Map<Integer, Double>> e : z.entrySet()) {
      SortedMap<Integer, Double> v = new TreeMap<>(e.getValue());
      md.append("| ").append(e.getKey()).append(e.getKey() == target ? " (D/8)" : "").append(" | ").append(v.size())
          .append(" | ").append(cell(ThirdResults.of(v, DESCRIPTIVE))).append(" | ")
          .append(e.getKey() == target ? "–" : diff(ThirdResults.paired(v, t, DESCRIPTIVE, Integer.MAX_VALUE)))
          .append(" |\n");
    }
    md.append("\n![R1 against z-dim](zdim.png)\n");
  }

  private void trajectory(StringBuilder md) {
    if (r.trajectory == null) {
      return;
    }
    JsonNode t = r.trajectory;
    md.append("\n## full − crossview: the trajectory test (design §9)\n\n").append(t.path("summary").asText())
        .append("\n");
    JsonNode d = r.trajectoryDouble;
    if (d == null) {
      return;
    }
    md.append("\nIn double precision (design.md, Deviations 4): ").append(d.path("summary").asText()).append("\n");
    if (d.path("sameToRounding").asBoolean() && !t.path("sameToRounding").asBoolean()) {
      md.append("\nReading: the difference shrinks with the rounding unit, so it is float rounding of the two "
          + "differently shaped graphs amplified by training, not a term or optimiser state coupling the branches "
          + "(a coupling would not shrink); `full`'s shared branch differs from `crossview`'s by its initial weights "
          + "and rounding only.\n");
    } else if (!d.path("sameToRounding").asBoolean()) {
      md.append("\nReading: the branches differ in double precision too, so something couples them.\n");
    }
  }

  private void reproduction(StringBuilder md) {
    if (r.reproduction.isEmpty()) {
      return;
    }
    long equal = r.reproduction.values().stream().filter(n -> n.path("equal").asBoolean()).count();
    md.append("\n## Reproduction of imported runs retrained for their probes\n\n").append(equal).append(" of ")
        .append(r.reproduction.size()).append(" retrained runs gave the imported metrics.json exactly.");
    r.reproduction.forEach((id, n) -> {
      if (!n.path("equal").asBoolean()) {
        md.append(" `").append(id).append("`: ").append(n.path("firstDifference").asText()).append(" (largest ")
            .append(String.format(Locale.ROOT, "%.3g", n.path("maxAbsDifference").asDouble())).append(").");
      }
    });
    md.append('\n');
  }

  // ------------------------------------------------------------------------------------------------ files

  String json() throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("date", date);
    root.put("version", AblationV3.VERSION);
    List<Object> claims = new ArrayList<>();
    List<String> extended = r.extended();
    for (String id : ThirdClaims.CLAIMS.keySet()) {
      ThirdClaims.Result first = ThirdClaims.judge(id, r, 5, AblationV3.claimLevel());
      ThirdClaims.Result fin = extended.contains(id) ? ThirdClaims.judge(id, r, Integer.MAX_VALUE,
          AblationV3.claimLevel()) : first;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("claim", first.claim());
      m.put("firstLook", first.verdict().label());
      m.put("extended", extended.contains(id));
      m.put("verdict", fin.verdict().label());
      m.put("from", fin.parts().stream().map(ThirdClaims.Part::text).toList());
      claims.add(m);
    }
    root.put("claims", claims);
    Map<String, Object> sysu = new LinkedHashMap<>();
    for (String v : variants("sysu")) {
      List<String> sets = new ArrayList<>();
      sets.add(null);
      sets.addAll(r.featureSets("sysu", v));
      for (String set : sets) {
        Map<String, Object> cols = new LinkedHashMap<>();
        for (AblationReport.Column c : AblationReport.SYSU_COLUMNS) {
          cols.put(c.key(), ThirdResults.values(r.units("sysu", v, set), c));
        }
        sysu.put(row("sysu", v, set), cols);
      }
    }
    root.put("sysu", sysu);
    root.put("sequential", r.sequential);
    root.put("imported", r.imported);
    root.put("reproduction", r.reproduction);
    return AblationPlan.JSON.writeValueAsString(root) + "\n";
  }

  void write(Path out) throws IOException {
    Files.createDirectories(out);
    List<String> labels = new ArrayList<>();
    List<double[]> r1 = new ArrayList<>();
    List<double[]> map = new ArrayList<>();
    for (String v : variants("sysu")) {
      SeedStatistics.Summary a = ThirdResults.of(ThirdResults.values(r.units("sysu", v, null), ThirdClaims.R1),
          DESCRIPTIVE);
      SeedStatistics.Summary b = ThirdResults.of(ThirdResults.values(r.units("sysu", v, null), ThirdClaims.MAP),
          DESCRIPTIVE);
      if (a != null && b != null) {
        labels.add(v);
        r1.add(new double[] {a.mean(), a.halfWidth()});
        map.add(new double[] {b.mean(), b.halfWidth()});
      }
    }
    if (!labels.isEmpty()) {
      Map<String, BarChart.Series> series = new LinkedHashMap<>();
      series.put("R1", new BarChart.Series(r1.stream().mapToDouble(x -> x[0]).toArray(),
          r1.stream().mapToDouble(x -> x[1]).toArray()));
      series.put("mAP", new BarChart.Series(map.stream().mapToDouble(x -> x[0]).toArray(),
          map.stream().mapToDouble(x -> x[1]).toArray()));
      BarChart.write(out.resolve("ablation.png"), "SYSU all-search: mean with 95 % t interval over seeds", "%",
          labels, series);
    }
    SortedMap<Integer, Map<Integer, Double>> z = ThirdClaims.zdimR1(r);
    List<Map.Entry<Integer, Map<Integer, Double>>> zs = z.entrySet().stream().filter(e -> !e.getValue().isEmpty())
        .toList();
    if (zs.size() > 1) {
      double[] x = new double[zs.size()];
      double[] y = new double[zs.size()];
      double[] e = new double[zs.size()];
      for (int i = 0; i < zs.size(); i++) {
        SeedStatistics.Summary s = ThirdResults.of(new TreeMap<>(zs.get(i).getValue()), DESCRIPTIVE);
        x[i] = zs.get(i).getKey();
        y[i] = s.mean();
        e[i] = s.halfWidth();
      }
      LineChart.write(out.resolve("zdim.png"), "vsd-shared: SYSU all-search R1 vs z-dim (mean, 95 % t interval)",
          "z-dim", "%", true, Map.of("R1", new LineChart.Series(x, y, e)));
    }
    ThirdCurves.write(r, out.resolve("curves"));
    if (!r.probes.isEmpty()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("runs", r.probes);
      AtomicFiles.writeString(out.resolve("probe.json"), AblationPlan.JSON.writeValueAsString(p) + "\n");
    }
    AtomicFiles.writeString(out.resolve("ablation.json"), json());
    AtomicFiles.writeString(out.resolve("ablation.md"), markdown());
  }
}
