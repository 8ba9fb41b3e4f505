package io.ibreid.ablation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ibreid.ablation.AblationDefaults.Comparison;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.eval.report.BarChart;
import io.ibreid.eval.report.LineChart;
import io.ibreid.eval.stats.SeedStatistics;
import io.ibreid.eval.stats.Verdict;
import io.ibreid.eval.stats.VerdictRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The ablation's report from whatever runs have finished: per variant (and per named extra feature set of a
 * variant) the mean ± sample sd and 95 % t interval over seeds, the differences from {@code baseline-ce} and
 * {@code ib} paired by seed, the RegDB table, the z-dim sweep, the probe table and the verdicts on the paper's
 * claims; as {@code ablation.md}, {@code ablation.json}, {@code ablation.png} and {@code zdim.png}.
 *
 * <p>metrics.json contract: the primary feature's protocol objects at the top level ({@code "sysu-all-1shot":
 * {"rank1": .., "mAP": ..}}, {@code "sysu-indoor-1shot"}, {@code "regdb-v2t"}, {@code "regdb-t2v"}, values in
 * percent) and optionally {@code "featureSets": {"<name>": {"features": {..}, <the same protocol objects>}}}.
 */
final class AblationReport {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String ALL = "sysu-all-1shot";
  static final String INDOOR = "sysu-indoor-1shot";
  static final String V2T = "regdb-v2t";
  static final String T2V = "regdb-t2v";
  static final String R1 = "rank1";
  static final String MAP = "mAP";

  /** A column of a table: a protocol's metric. */
  record Column(String protocol, String metric, String title) {
    String key() {
      return protocol + "." + metric;
    }
  }

  static final List<Column> SYSU_COLUMNS = List.of(new Column(ALL, R1, "all R1"), new Column(ALL, MAP, "all mAP"),
      new Column(INDOOR, R1, "indoor R1"), new Column(INDOOR, MAP, "indoor mAP"));
  static final List<Column> REGDB_COLUMNS = List.of(new Column(V2T, R1, "V→T R1"), new Column(V2T, MAP, "V→T mAP"),
      new Column(T2V, R1, "T→V R1"), new Column(T2V, MAP, "T→V mAP"));
  static final List<Column> ZDIM_COLUMNS = List.of(new Column(ALL, R1, "all R1"), new Column(ALL, MAP, "all mAP"));

  /** What the report is about (from the plan), independent of what has finished. */
  record Design(List<String> variants, int seeds, List<String> regdbVariants, int regdbSeeds, int regdbTrials,
      String zdimVariant, List<Integer> zdims, int zdimSeeds, int observationSize, String description,
      Map<String, String> notes) {}

  /**
   * A note on a variant whose visible and infrared images are represented by different branches' features (its
   * primary evaluation): a cross-modal ranking then compares two spaces trained apart, or null when both modalities
   * read the same branch.
   */
  static String crossBranchNote(String variant, List<String> visible, List<String> infrared) {
    java.util.Set<String> v = branchesOf(visible);
    java.util.Set<String> i = branchesOf(infrared);
    if (v.isEmpty() || i.isEmpty() || v.equals(i)) {
      return null;
    }
    return "`" + variant + "` ranks infrared gallery images represented by " + String.join(" ⊕ ", infrared)
        + " against visible queries represented by " + String.join(" ⊕ ", visible) + ": features of different "
        + "branches, which no term of this method aligns, so its cross-modal rows sit near chance by construction. "
        + "It stays in the fixed design and no verdict uses it.";
  }

  private static java.util.Set<String> branchesOf(List<String> keys) {
    java.util.Set<String> b = new java.util.TreeSet<>();
    for (String k : keys) {
      int dot = k.indexOf('.');
      b.add(dot < 0 ? k : k.substring(0, dot));
    }
    return b;
  }

  /** One finished run and its metrics.json. */
  record Finished(String group, String variant, int zdim, int seed, int trial, JsonNode metrics) {
    /** The pairing unit: the seed, or for RegDB the (seed, trial) run. */
    String unit() {
      return trial > 0 ? "s" + seed + "t" + trial : String.valueOf(seed);
    }
  }

  /** A table row: a variant's primary feature or one of its feature sets; unit → the object holding protocols. */
  record Row(String label, String variant, String featureSet, Map<String, JsonNode> units) {}

  private final Design design;
  private final List<Finished> finished;
  private final Map<String, JsonNode> probes;
  private final String date;

  AblationReport(Design design, List<Finished> finished, Map<String, JsonNode> probes, String date) {
    this.design = design;
    this.finished = List.copyOf(finished);
    this.probes = probes;
    this.date = date;
  }

  /**
   * The report of {@code plan}'s runs and probes found on disk ({@code metrics.json}, {@link AblationProbe#FILE} of
   * the probe seed's SYSU runs), dated {@code date}.
   */
  static AblationReport of(AblationPlan plan, Map<String, JsonNode> fingerprints, String date) throws IOException {
    List<Finished> finished = new ArrayList<>();
    Map<String, JsonNode> probes = new LinkedHashMap<>();
    for (AblationPlan.Run r : plan.runs) {
      JsonNode m = readMetrics(r.dir());
      if (m != null) {
        finished.add(new Finished(r.group(), r.variant(), r.zdim(), r.seed(), r.trial(), m));
      }
      Path p = r.dir().resolve(AblationProbe.FILE);
      if (r.group().equals("sysu") && r.seed() == AblationDefaults.PROBE_SEED && Files.isRegularFile(p)) {
        probes.put(r.variant(), AblationPlan.read(p, "delete it to probe the run again"));
      }
    }
    return new AblationReport(design(plan, fingerprints), finished, probes, date);
  }

  /** The report's design and its description paragraph, from the plan and the data sets' fingerprints. */
  static Design design(AblationPlan plan, Map<String, JsonNode> fingerprints) {
    AblationPlan.Settings s = plan.settings;
    RunConfig first = plan.runs.isEmpty() ? new RunConfig() : plan.runs.get(0).config();
    StringBuilder d = new StringBuilder();
    d.append(String.format(Locale.ROOT, "Design (plan.json): every run trains %d iterations (%d epochs of %d "
        + "batches of %d identities × %d images, validation on %s held-out training identities and a checkpoint "
        + "after each epoch; the checkpoint with the best validation mAP is evaluated), with its shipped config "
        + "and nothing tuned per variant. SYSU-layout lab `%s` (sha256 %s): %s × %d seeds, single-shot, %d "
        + "trials.", s.iterations(), s.epochs(), s.iterations() / s.epochs(), first.sampler.identities,
        first.sampler.instances, first.data.params.getOrDefault("holdout", AblationDefaults.HOLDOUT), s.sysuData(),
        shortSha(fingerprints.get("sysu")), String.join(", ", s.variants()), s.seeds(), s.sysuTrials()));
    if (!s.regdbVariants().isEmpty()) {
      d.append(String.format(Locale.ROOT, " RegDB-layout lab `%s` (sha256 %s): %s × %d seeds × %d trials, both "
          + "directions.", s.regdbData(), shortSha(fingerprints.get("regdb")), String.join(", ", s.regdbVariants()),
          s.regdbSeeds(), s.regdbTrials()));
    }
    if (!plan.zdims.isEmpty()) {
      d.append(String.format(Locale.ROOT, " z-dim sweep: %s at z = %s (D = %d) × %d seeds.", s.zdimVariant(),
          plan.zdims, plan.observationSize, s.zdimSeeds()));
    }
    if (!s.overrides().isEmpty()) {
      d.append(" Overrides for every run: `").append(String.join("`, `", s.overrides())).append("`.");
    }
    d.append(" Kernels of the fast encoder: ").append(s.kernels()).append(" (`--kernels`).");
    Map<String, String> notes = new LinkedHashMap<>();
    for (AblationPlan.Run r : plan.runs) {
      if (r.group().equals("sysu") && !notes.containsKey(r.variant())) {
        String note = crossBranchNote(r.variant(), r.config().evaluation.visible, r.config().evaluation.infrared);
        if (note != null) {
          notes.put(r.variant(), note);
        }
      }
    }
    return new Design(s.variants(), s.seeds(), s.regdbVariants(), s.regdbSeeds(), s.regdbTrials(),
        s.zdimVariant(), plan.zdims, s.zdimSeeds(), plan.observationSize, d.toString(), notes);
  }

  private static String shortSha(JsonNode fp) {
    return fp == null || !fp.has("sha256") ? "unknown" : fp.get("sha256").asText().substring(0, 12);
  }

  /** A run's metrics.json, or null when the run has not been evaluated. */
  static JsonNode readMetrics(Path runDir) throws IOException {
    Path m = runDir.resolve("metrics.json");
    return Files.isRegularFile(m) ? AblationPlan.read(m, "delete it to evaluate the run again") : null;
  }

  // ---------------------------------------------------------------- statistics

  static double value(JsonNode container, String protocol, String metric) {
    JsonNode v = container == null ? null : container.path(protocol).get(metric);
    return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
  }

  /** Mean, sample sd and 95 % t interval of a row's values over its units (null when it has none). */
  static SeedStatistics.Summary summary(Row r, Column c) {
    double[] v = r.units().values().stream().mapToDouble(x -> value(x, c.protocol(), c.metric()))
        .filter(d -> !Double.isNaN(d)).toArray();
    return v.length == 0 ? null : SeedStatistics.of(v);
  }

  /** Row minus reference, unit by unit over the units both have (null when none). */
  static SeedStatistics.Summary paired(Row r, Row reference, Column c) {
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : r.units().entrySet()) {
      JsonNode ref = reference.units().get(e.getKey());
      double x = value(e.getValue(), c.protocol(), c.metric());
      double y = value(ref, c.protocol(), c.metric());
      if (!Double.isNaN(x) && !Double.isNaN(y)) {
        a.add(x);
        b.add(y);
      }
    }
    if (a.isEmpty()) {
      return null;
    }
    return SeedStatistics.paired(a.stream().mapToDouble(Double::doubleValue).toArray(),
        b.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /**
   * The rows of a group: each variant's primary row (in {@code variants}' order), each followed by one row per
   * named feature set found in its metrics ({@code variant [set]}, in order of first appearance).
   */
  List<Row> rows(String group, List<String> variants) {
    List<Row> out = new ArrayList<>();
    for (String v : variants) {
      Map<String, JsonNode> primary = new LinkedHashMap<>();
      Set<String> sets = new LinkedHashSet<>();
      for (Finished f : finished) {
        if (f.group().equals(group) && f.variant().equals(v)) {
          primary.put(f.unit(), f.metrics());
          f.metrics().path("featureSets").fieldNames().forEachRemaining(sets::add);
        }
      }
      out.add(new Row(v, v, null, primary));
      for (String s : sets) {
        Map<String, JsonNode> units = new LinkedHashMap<>();
        primary.forEach((unit, m) -> {
          JsonNode fs = m.path("featureSets").get(s);
          if (fs != null && fs.isObject()) {
            units.put(unit, fs);
          }
        });
        out.add(new Row(v + " [" + s + "]", v, s, units));
      }
    }
    return out;
  }

  /** The z-dim sweep's rows, one per size. */
  SortedMap<Integer, Row> zdimRows() {
    SortedMap<Integer, Row> out = new TreeMap<>();
    for (int z : design.zdims()) {
      Map<String, JsonNode> units = new LinkedHashMap<>();
      for (Finished f : finished) {
        if (f.group().equals("zdim") && f.zdim() == z) {
          units.put(f.unit(), f.metrics());
        }
      }
      out.put(z, new Row("z=" + z, design.zdimVariant(), null, units));
    }
    return out;
  }

  static Row find(List<Row> rows, String variant) {
    return rows.stream().filter(r -> r.variant().equals(variant) && r.featureSet() == null).findFirst()
        .orElse(null);
  }

  // ---------------------------------------------------------------- Markdown

  private static String cell(SeedStatistics.Summary s) {
    return s == null ? "–" : s.meanSdCi();
  }

  private static String diffCell(SeedStatistics.Summary s) {
    return s == null ? "–" : s.difference();
  }

  private static String count(int n, int of, String unit) {
    return n + " of " + of + " " + unit;
  }

  private void meanTable(StringBuilder md, List<Row> rows, List<Column> cols, int expected, String unit) {
    md.append("| variant | ").append(unit).append(" |");
    cols.forEach(c -> md.append(' ').append(c.title()).append(" |"));
    md.append("\n|---|---|").append("---|".repeat(cols.size())).append('\n');
    for (Row r : rows) {
      md.append("| ").append(r.label()).append(" | ").append(count(r.units().size(), expected, unit)).append(" |");
      for (Column c : cols) {
        md.append(' ').append(cell(summary(r, c))).append(" |");
      }
      md.append('\n');
    }
  }

  private void diffTable(StringBuilder md, List<Row> rows, String reference, List<Column> cols, String unit) {
    Row ref = find(rows, reference);
    if (ref == null || ref.units().isEmpty()) {
      md.append("\nNo differences from `").append(reference).append("`: it has no finished runs")
          .append(ref == null ? " (not in this ablation)" : "").append(".\n");
      return;
    }
    md.append("\nDifference from `").append(reference).append("`, paired by ").append(unit)
        .append(" (mean [95 % t interval], points; * = the interval excludes zero):\n\n");
    md.append("| variant | paired |");
    cols.forEach(c -> md.append(' ').append(c.title()).append(" |"));
    md.append("\n|---|---|").append("---|".repeat(cols.size())).append('\n');
    for (Row r : rows) {
      if (r == ref) {
        continue;
      }
      SeedStatistics.Summary first = paired(r, ref, cols.get(0));
      md.append("| ").append(r.label()).append(" | ").append(first == null ? 0 : first.n()).append(" |");
      for (Column c : cols) {
        md.append(' ').append(diffCell(paired(r, ref, c))).append(" |");
      }
      md.append('\n');
    }
  }

  /** A row by its label ({@code variant} or {@code variant [set]}), or null. */
  static Row byLabel(List<Row> rows, String label) {
    return rows.stream().filter(r -> r.label().equals(label)).findFirst().orElse(null);
  }

  /** The comparisons whose two rows both have finished runs, in the given order. */
  static List<Comparison> present(List<Row> rows, List<Comparison> comparisons) {
    List<Comparison> out = new ArrayList<>();
    for (Comparison c : comparisons) {
      Row a = byLabel(rows, c.row());
      Row b = byLabel(rows, c.reference());
      if (a != null && b != null && !a.units().isEmpty() && !b.units().isEmpty()) {
        out.add(c);
      }
    }
    return out;
  }

  private void comparisonTable(StringBuilder md, List<Row> rows, List<Comparison> comparisons, List<Column> cols) {
    List<Comparison> shown = present(rows, comparisons);
    if (shown.isEmpty()) {
      return;
    }
    md.append("\nThe authors' release against the paper, paired by seed (mean [95 % t interval], points; * = the "
        + "interval excludes zero; descriptive, no verdict uses it):\n\n");
    md.append("| comparison | what differs | paired |");
    cols.forEach(c -> md.append(' ').append(c.title()).append(" |"));
    md.append("\n|---|---|---|").append("---|".repeat(cols.size())).append('\n');
    for (Comparison c : shown) {
      Row a = byLabel(rows, c.row());
      Row b = byLabel(rows, c.reference());
      SeedStatistics.Summary first = paired(a, b, cols.get(0));
      md.append("| ").append(c.row()).append(" − ").append(c.reference()).append(" | ").append(c.differs())
          .append(" | ").append(first == null ? 0 : first.n()).append(" |");
      for (Column col : cols) {
        md.append(' ').append(diffCell(paired(a, b, col))).append(" |");
      }
      md.append('\n');
    }
  }

  static final String PAIRING = "Paired = same seed. The seed fixes the batch sequence (the P×K sampler's plan "
      + "and every image's augmentation are functions of (seed, epoch, batch) only, and every variant uses the "
      + "same sampler and budget), the bottleneck noise and the loss terms' own random streams; the weight "
      + "initialisation comes from the same seed, so variants with the same network graph (one shared branch of "
      + "the same shape: baseline-ce, ib, vsd-shared, crossview — the IB critic lives outside the graph) start "
      + "from identical weights, while vib (another bottleneck) and the multi-branch variants (vsd, full, ...) "
      + "draw their weights from the same seed but not the same numbers. RegDB pairs by (seed, trial): the "
      + "same seed on the same training split.";

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Ablation, ").append(date).append("\n\n").append(design.description()).append("\n\n")
        .append(PAIRING).append("\n\nCells: mean ± sample sd [95 % t interval] over seeds, percent; \"n of N\" "
            + "counts the finished runs (a cell with n < N is incomplete).\n");
    List<Row> sysu = rows("sysu", design.variants());
    md.append("\n## SYSU-MM01-layout lab (single-shot, checkpoint chosen on the validation split)\n\n");
    meanTable(md, sysu, SYSU_COLUMNS, design.seeds(), "seeds");
    for (String v : design.variants()) {
      String note = design.notes().get(v);
      if (note != null) {
        md.append("\nNote: ").append(note).append('\n');
      }
    }
    for (String ref : AblationDefaults.REFERENCES) {
      diffTable(md, sysu, ref, SYSU_COLUMNS, "seed");
    }
    comparisonTable(md, sysu, AblationDefaults.RELEASE_COMPARISONS, SYSU_COLUMNS);
    if (!design.regdbVariants().isEmpty() && design.regdbSeeds() > 0 && design.regdbTrials() > 0) {
      List<Row> regdb = rows("regdb", design.regdbVariants());
      md.append("\n## RegDB-layout lab (").append(design.regdbTrials()).append(" trials × ")
          .append(design.regdbSeeds()).append(" seeds; each trial is its own train/test split and training run; "
              + "statistics over the (seed, trial) runs)\n\n");
      meanTable(md, regdb, REGDB_COLUMNS, design.regdbSeeds() * design.regdbTrials(), "runs");
      diffTable(md, regdb, "baseline-ce", REGDB_COLUMNS, "(seed, trial)");
    }
    SortedMap<Integer, Row> z = zdimRows();
    if (!z.isEmpty() && design.zdimSeeds() > 0) {
      int target = claimedZ();
      md.append("\n## z-dim sweep of `").append(design.zdimVariant()).append("` (D = ").append(design
          .observationSize()).append(", SYSU all-search)\n\n");
      md.append("| z-dim | seeds | all R1 | all mAP | R1 − R1(z=").append(target).append("), paired |\n")
          .append("|---|---|---|---|---|\n");
      Row t = z.get(target);
      for (Map.Entry<Integer, Row> e : z.entrySet()) {
        Row r = e.getValue();
        md.append("| ").append(e.getKey()).append(e.getKey() == target ? " (D/8)" : "").append(" | ")
            .append(count(r.units().size(), design.zdimSeeds(), "seeds")).append(" | ")
            .append(cell(summary(r, ZDIM_COLUMNS.get(0)))).append(" | ").append(cell(summary(r, ZDIM_COLUMNS
                .get(1)))).append(" | ").append(t == null || r == t ? "–" : diffCell(paired(r, t, ZDIM_COLUMNS
                    .get(0)))).append(" |\n");
      }
      md.append("\n![R1 and mAP against z-dim](zdim.png)\n");
    }
    md.append(probeMarkdown());
    md.append("\n## Verdicts on the paper's claims\n\n");
    md.append("| claim | verdict | from |\n|---|---|---|\n");
    for (VerdictLine v : verdicts()) {
      md.append("| ").append(v.claim()).append(" | **").append(v.verdict().label()).append("** | ")
          .append(v.numbers()).append(" |\n");
    }
    md.append("\nRules, fixed in code (`VerdictRules`) before any result existed:\n\n");
    for (String rule : List.of(VerdictRules.GREATER_RULE, VerdictRules.AT_LEAST_RULE,
        VerdictRules.LOWER_PROPORTION_RULE, VerdictRules.OPTIMUM_RULE, VerdictRules.COMBINE_RULE)) {
      md.append("- ").append(rule).append(".\n");
    }
    md.append("- Each claim is judged on SYSU all-search R1 and mAP of the variants' primary features (the rows "
        + "without [..]), paired by seed; the modality claim adds the probe of seed " + AblationDefaults.PROBE_SEED
        + "'s z.\n");
    md.append("\n![R1 and mAP per variant](ablation.png)\n");
    return md.toString();
  }

  int claimedZ() {
    return design.observationSize() / AblationDefaults.ZDIM_CLAIMED_DIVISOR;
  }

  // ---------------------------------------------------------------- probes

  private String probeMarkdown() {
    if (probes.isEmpty()) {
      return "";
    }
    Set<String> factors = new LinkedHashSet<>();
    Map<String, JsonNode> chance = new LinkedHashMap<>();
    for (JsonNode p : probes.values()) {
      for (JsonNode f : p.path("features")) {
        for (Iterator<Map.Entry<String, JsonNode>> it = f.path("scores").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          factors.add(e.getKey());
          chance.putIfAbsent(e.getKey(), e.getValue());
        }
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("\n## Probes of seed ").append(AblationDefaults.PROBE_SEED).append("'s best checkpoints\n\n")
        .append("Linear probes (`ibreid probe`'s library: fitted on half of the test identities, scored on the "
            + "others; identity on half of each identity's images) from the evaluated branch's v and z; "
            + "categorical factors: held-out accuracy in %, continuous ones: R². Chance: always answering the "
            + "fitting part's most frequent class (a cell's own chance in parentheses where it differs).\n\n");
    md.append("| variant | feature |");
    factors.forEach(f -> md.append(' ').append(f).append(" |"));
    md.append("\n|---|---|").append("---:|".repeat(factors.size())).append("\n| chance | |");
    for (String f : factors) {
      JsonNode c = chance.get(f);
      md.append(' ').append(c.path("metric").asText().equals("r2") ? "0" : String.format(Locale.ROOT, "%.1f",
          100 * c.path("chance").asDouble())).append(" |");
    }
    md.append('\n');
    List<String> notes = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : probes.entrySet()) {
      JsonNode p = e.getValue();
      if (!p.path("note").asText().isEmpty()) {
        notes.add("`" + e.getKey() + "`: " + p.path("note").asText());
      }
      for (JsonNode f : p.path("features")) {
        md.append("| ").append(e.getKey()).append(" | ").append(f.path("name").asText().replace("|", "/")).append(" |");
        for (String factor : factors) {
          JsonNode s = f.path("scores").get(factor);
          if (s == null) {
            md.append(" – |");
            continue;
          }
          boolean r2 = s.path("metric").asText().equals("r2");
          md.append(' ').append(r2 ? String.format(Locale.ROOT, "%.2f", s.path("value").asDouble())
              : String.format(Locale.ROOT, "%.1f", 100 * s.path("value").asDouble()));
          double c0 = chance.get(factor).path("chance").asDouble();
          if (!r2 && Math.abs(s.path("chance").asDouble() - c0) > 5e-4) {
            md.append(String.format(Locale.ROOT, " (%.1f)", 100 * s.path("chance").asDouble()));
          }
          md.append(" |");
        }
        md.append('\n');
      }
    }
    if (!notes.isEmpty()) {
      md.append('\n').append(String.join("; ", notes)).append(".\n");
    }
    return md.toString();
  }

  /** The variant's probed z feature's score for {@code factor} (the first z feature), or null. */
  JsonNode probeScore(String variant, String factor) {
    JsonNode p = probes.get(variant);
    if (p == null) {
      return null;
    }
    for (JsonNode f : p.path("features")) {
      if (f.path("output").asText().equals("z")) {
        JsonNode s = f.path("scores").get(factor);
        return s == null || s.isNull() ? null : s;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- verdicts

  /** One claim's verdict and the numbers it follows from. */
  record VerdictLine(String claim, Verdict verdict, String numbers) {}

  private String parts(List<String> texts) {
    return String.join("; ", texts);
  }

  /** Judges {@code method} against {@code reference} on all-search R1 and mAP with {@code greater} or atLeast. */
  private List<Verdict> compare(List<Row> rows, String method, String reference, boolean atLeast,
      List<String> texts) {
    Row m = find(rows, method);
    Row r = find(rows, reference);
    List<Verdict> out = new ArrayList<>();
    for (Column c : ZDIM_COLUMNS) {
      SeedStatistics.Summary d = m == null || r == null ? null : paired(m, r, c);
      Verdict v = atLeast ? VerdictRules.atLeast(d) : VerdictRules.greater(d);
      out.add(v);
      texts.add(method + " − " + reference + " " + c.title() + " " + (d == null ? "no paired runs"
          : d.difference() + " (" + d.n() + " seeds)") + ": " + v.label());
    }
    return out;
  }

  List<VerdictLine> verdicts() {
    List<Row> sysu = rows("sysu", design.variants());
    List<VerdictLine> out = new ArrayList<>();
    List<String> t = new ArrayList<>();
    Verdict v = Verdict.combine(compare(sysu, "vsd-shared", "ib", false, t));
    out.add(new VerdictLine("VSD > IB on one branch (vsd-shared vs ib)", v, parts(t)));
    t = new ArrayList<>();
    v = Verdict.combine(compare(sysu, "vsd-shared", "vib", false, t));
    out.add(new VerdictLine("VSD > VIB (vsd-shared vs vib)", v, parts(t)));
    t = new ArrayList<>();
    List<Verdict> p = new ArrayList<>(compare(sysu, "full", "vsd-shared", true, t));
    p.addAll(compare(sysu, "full", "baseline-ce", true, t));
    out.add(new VerdictLine("three branches ≥ one (full vs vsd-shared and vs baseline-ce)", Verdict.combine(p),
        parts(t)));
    t = new ArrayList<>();
    p = new ArrayList<>(compare(sysu, "crossview", "vsd-shared", false, t));
    JsonNode a = probeScore("crossview", "modality");
    JsonNode b = probeScore("vsd-shared", "modality");
    if (a == null || b == null) {
      p.add(Verdict.CANNOT_TELL);
      t.add("modality probe of z: not available for " + (a == null ? "crossview" : "vsd-shared") + ": cannot tell");
    } else {
      SeedStatistics.Summary d = VerdictRules.proportionDifference(a.path("value").asDouble(),
          a.path("scored").asInt(), b.path("value").asDouble(), b.path("scored").asInt());
      Verdict pv = VerdictRules.lower(d);
      p.add(pv);
      t.add(String.format(Locale.ROOT, "modality probe of z: crossview %.1f %% vs vsd-shared %.1f %% (chance "
          + "%.1f %%), difference %+.1f [%+.1f, %+.1f]: %s", 100 * a.path("value").asDouble(), 100 * b.path("value")
          .asDouble(), 100 * a.path("chance").asDouble(), 100 * d.mean(), 100 * d.low(), 100 * d.high(),
          pv.label()));
    }
    out.add(new VerdictLine("VCD + VML make the shared space modality-free (crossview vs vsd-shared)",
        Verdict.combine(p), parts(t)));
    SortedMap<Integer, Map<Integer, Double>> bySize = new TreeMap<>();
    zdimRows().forEach((z, r) -> {
      Map<Integer, Double> bySeed = new TreeMap<>();
      r.units().forEach((unit, m) -> {
        double x = value(m, ALL, R1);
        if (!Double.isNaN(x)) {
          bySeed.put(Integer.parseInt(unit), x);
        }
      });
      bySize.put(z, bySeed);
    });
    int target = claimedZ();
    if (bySize.isEmpty() || target <= 0) {
      out.add(new VerdictLine("z-dim optimum near D/8", Verdict.CANNOT_TELL, "no z-dim sweep in this ablation"));
    } else {
      VerdictRules.Optimum o = VerdictRules.optimum(bySize, target);
      List<String> zt = new ArrayList<>();
      zt.add("argmax of mean all-search R1: z = " + (o.argmax() < 0 ? "–" : o.argmax()));
      o.minusTarget().forEach((z, d) -> zt.add("R1(z=" + z + ") − R1(z=" + target + ") " + d.difference()
          + (o.neighbours().contains(z) ? " (neighbour)" : "")));
      out.add(new VerdictLine("z-dim optimum near D/8 (z = " + target + ")", o.verdict(), parts(zt)));
    }
    return out;
  }

  // ---------------------------------------------------------------- JSON and files

  private Map<String, Object> summaryJson(SeedStatistics.Summary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", s.n());
    m.put("mean", s.mean());
    m.put("sd", Double.isNaN(s.sd()) ? null : s.sd());
    m.put("low", Double.isNaN(s.halfWidth()) ? null : s.low());
    m.put("high", Double.isNaN(s.halfWidth()) ? null : s.high());
    return m;
  }

  /** {@code row} − {@code reference} paired, per column with a value, with whether its interval excludes zero. */
  private Map<String, Object> differencesJson(Row row, Row reference, List<Column> cols) {
    Map<String, Object> d = new LinkedHashMap<>();
    for (Column c : cols) {
      SeedStatistics.Summary s = paired(row, reference, c);
      if (s != null) {
        Map<String, Object> m = summaryJson(s);
        m.put("excludesZero", s.excludesZero());
        d.put(c.key(), m);
      }
    }
    return d;
  }

  private List<Object> rowsJson(List<Row> rows, List<Column> cols, int expected, List<String> references) {
    List<Object> out = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("label", r.label());
      row.put("variant", r.variant());
      if (r.featureSet() != null) {
        row.put("featureSet", r.featureSet());
      }
      row.put("runs", r.units().size());
      row.put("of", expected);
      Map<String, Object> metrics = new LinkedHashMap<>();
      for (Column c : cols) {
        SeedStatistics.Summary s = summary(r, c);
        if (s != null) {
          Map<String, Object> m = summaryJson(s);
          Map<String, Object> values = new LinkedHashMap<>();
          r.units().forEach((u, x) -> {
            double val = value(x, c.protocol(), c.metric());
            if (!Double.isNaN(val)) {
              values.put(u, val);
            }
          });
          m.put("values", values);
          metrics.put(c.key(), m);
        }
      }
      row.put("metrics", metrics);
      Map<String, Object> vs = new LinkedHashMap<>();
      for (String ref : references) {
        Row rr = find(rows, ref);
        if (rr == null || rr == r) {
          continue;
        }
        vs.put(ref, differencesJson(r, rr, cols));
      }
      row.put("differences", vs);
      out.add(row);
    }
    return out;
  }

  String json() throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("date", date);
    root.put("design", design.description());
    root.put("pairing", PAIRING);
    List<Row> sysuRows = rows("sysu", design.variants());
    root.put("sysu", rowsJson(sysuRows, SYSU_COLUMNS, design.seeds(),
        AblationDefaults.REFERENCES));
    List<Object> comparisons = new ArrayList<>();
    for (Comparison c : present(sysuRows, AblationDefaults.RELEASE_COMPARISONS)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("row", c.row());
      m.put("reference", c.reference());
      m.put("differs", c.differs());
      m.put("differences", differencesJson(byLabel(sysuRows, c.row()), byLabel(sysuRows, c.reference()),
          SYSU_COLUMNS));
      comparisons.add(m);
    }
    root.put("comparisons", comparisons);
    if (!design.regdbVariants().isEmpty()) {
      root.put("regdb", rowsJson(rows("regdb", design.regdbVariants()), REGDB_COLUMNS,
          design.regdbSeeds() * design.regdbTrials(), List.of("baseline-ce")));
    }
    if (!design.zdims().isEmpty()) {
      Map<String, Object> z = new LinkedHashMap<>();
      z.put("variant", design.zdimVariant());
      z.put("observationSize", design.observationSize());
      List<Row> zrows = new ArrayList<>(zdimRows().values());
      z.put("rows", rowsJson(zrows, ZDIM_COLUMNS, design.zdimSeeds(), List.of()));
      root.put("zdim", z);
    }
    List<Object> verdicts = new ArrayList<>();
    for (VerdictLine v : verdicts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("claim", v.claim());
      m.put("verdict", v.verdict().label());
      m.put("from", v.numbers());
      verdicts.add(m);
    }
    root.put("verdicts", verdicts);
    root.put("rules", List.of(VerdictRules.GREATER_RULE, VerdictRules.AT_LEAST_RULE,
        VerdictRules.LOWER_PROPORTION_RULE, VerdictRules.OPTIMUM_RULE, VerdictRules.COMBINE_RULE));
    return JSON.writeValueAsString(root) + "\n";
  }

  /** Writes ablation.md, ablation.json, probe.json (when there are probes) and the plots, each atomically. */
  void write(Path out) throws IOException {
    Files.createDirectories(out);
    List<Row> primary = rows("sysu", design.variants()).stream().filter(r -> r.featureSet() == null
        && !r.units().isEmpty()).toList();
    if (!primary.isEmpty()) {
      Map<String, BarChart.Series> series = new LinkedHashMap<>();
      for (Column c : ZDIM_COLUMNS) {
        double[] y = new double[primary.size()];
        double[] e = new double[primary.size()];
        for (int i = 0; i < y.length; i++) {
          SeedStatistics.Summary s = summary(primary.get(i), c);
          y[i] = s == null ? 0 : s.mean();
          e[i] = s == null ? Double.NaN : s.halfWidth();
        }
        series.put(c.metric().equals(R1) ? "R1" : "mAP", new BarChart.Series(y, e));
      }
      BarChart.write(out.resolve("ablation.png"), "SYSU all-search: mean with 95 % t interval over seeds", "%",
          primary.stream().map(Row::label).toList(), series);
    }
    List<Map.Entry<Integer, Row>> z = zdimRows().entrySet().stream().filter(e -> !e.getValue().units().isEmpty())
        .toList();
    if (z.size() > 1) {
      Map<String, LineChart.Series> series = new LinkedHashMap<>();
      for (Column c : ZDIM_COLUMNS) {
        double[] x = new double[z.size()];
        double[] y = new double[z.size()];
        double[] e = new double[z.size()];
        for (int i = 0; i < z.size(); i++) {
          SeedStatistics.Summary s = summary(z.get(i).getValue(), c);
          x[i] = z.get(i).getKey();
          y[i] = s == null ? 0 : s.mean();
          e[i] = s == null ? Double.NaN : s.halfWidth();
        }
        series.put(c.metric().equals(R1) ? "R1" : "mAP", new LineChart.Series(x, y, e));
      }
      LineChart.write(out.resolve("zdim.png"), design.zdimVariant() + ": SYSU all-search vs z-dim (mean, 95 % t "
          + "interval over seeds)", "z-dim", "%", true, series);
    }
    if (!probes.isEmpty()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("seed", AblationDefaults.PROBE_SEED);
      p.put("variants", probes);
      AtomicFiles.writeString(out.resolve("probe.json"), JSON.writeValueAsString(p) + "\n");
    }
    AtomicFiles.writeString(out.resolve("ablation.json"), json());
    AtomicFiles.writeString(out.resolve("ablation.md"), markdown());
  }
}
