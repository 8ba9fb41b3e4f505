package io.ibreid.ablation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ibreid.eval.stats.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's statistics, feature-set rows and verdicts from hand-written metrics.json files on disk, checked
 * against values worked by hand (t(0.975, 4) = 2.7764, t(0.975, 2) = 4.3027).
 */
class AblationReportTest {
  /** A metrics.json in the contract's shape; {@code sets}: name → {all R1, all mAP}. */
  static String metrics(double allR1, double allMap, double inR1, double inMap, Map<String, double[]> sets) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "{\"run\": \"x\", \"checkpoint\": \"epoch-2\", "
        + "\"features\": {\"visible\": [\"shared.z\"], \"infrared\": [\"shared.z\"]}, "
        + "\"sysu-all-1shot\": {\"rank1\": %s, \"rank10\": 50.0, \"mAP\": %s, \"mINP\": 3.0}, "
        + "\"sysu-indoor-1shot\": {\"rank1\": %s, \"mAP\": %s}", allR1, allMap, inR1, inMap));
    if (!sets.isEmpty()) {
      sb.append(", \"featureSets\": {");
      int i = 0;
      for (Map.Entry<String, double[]> e : sets.entrySet()) {
        sb.append(i++ > 0 ? ", " : "").append('"').append(e.getKey()).append("\": {\"features\": {\"visible\": "
            + "[\"shared.v\"], \"infrared\": [\"shared.v\"]}, ").append(String.format(Locale.ROOT,
            "\"sysu-all-1shot\": {\"rank1\": %s, \"mAP\": %s}, \"sysu-indoor-1shot\": {\"rank1\": %s, \"mAP\": %s}}",
            e.getValue()[0], e.getValue()[1], e.getValue()[0], e.getValue()[1]));
      }
      sb.append('}');
    }
    return sb.append("}\n").toString();
  }

  /** Writes runs/VARIANT/seed-S/metrics.json under {@code out} and reads every one back like the command. */
  static class Fixture {
    final Path out;
    final List<AblationReport.Finished> finished = new ArrayList<>();

    Fixture(Path out) {
      this.out = out;
    }

    Fixture add(String group, String variant, int z, int seed, String json) throws Exception {
      Path dir = out.resolve("runs").resolve(group.equals("zdim") ? variant + "-z" + z : variant)
          .resolve("seed-" + seed);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("metrics.json"), json);
      JsonNode m = AblationReport.readMetrics(dir);
      finished.add(new AblationReport.Finished(group, variant, z, seed, 0, m));
      return this;
    }
  }

  static AblationReport.Design design(List<String> variants, int seeds, List<Integer> zdims) {
    return new AblationReport.Design(variants, seeds, List.of(), 0, 0, "vsd-shared", zdims, 3, 512, "fixture",
        Map.of());
  }

  @Test
  void meansSampleSdIntervalsAndPairedDifferencesByHand(@TempDir Path out) throws Exception {
    Fixture f = new Fixture(out);
    double[] base = {20, 22, 24, 26, 28};
    double[] gain = {1, 2, 3, 2, 2};
    for (int s = 1; s <= 5; s++) {
      f.add("sysu", "baseline-ce", 0, s, metrics(base[s - 1], 30, 10 * s, 40, Map.of()));
      f.add("sysu", "ib", 0, s, metrics(base[s - 1] + gain[s - 1], 30 - gain[s - 1], 10 * s, 40, Map.of()));
    }
    for (int s = 1; s <= 3; s++) { // incomplete: 3 of 5 seeds
      f.add("sysu", "vsd-shared", 0, s, metrics(base[s - 1] + 5, 30, 10 * s, 40, Map.of()));
    }
    AblationReport r = new AblationReport(design(List.of("baseline-ce", "ib", "vsd-shared"), 5, List.of()),
        f.finished, Map.of(), "2026-12-04");
    String md = r.markdown();
    // baseline all R1 {20, 22, 24, 26, 28}: mean 24, sample sd sqrt(10) = 3.162, half-width 2.7764 * 3.162 / sqrt(5)
    // = 3.926: [20.07, 27.93]; mAP 30 on every seed: sd 0; indoor R1 {10..50}: mean 30, sd 15.81, hw 19.63
    assertThat(md).contains("| baseline-ce | 5 of 5 seeds | 24.0 ± 3.2 [20.1, 27.9] | 30.0 ± 0.0 [30.0, 30.0] | "
        + "30.0 ± 15.8 [10.4, 49.6] | 40.0 ± 0.0 [40.0, 40.0] |");
    // ib - baseline: R1 {1, 2, 3, 2, 2}: mean 2, sd sqrt(0.5) = 0.707, hw 0.878: [+1.1, +2.9] *; mAP the negative
    assertThat(md).contains("| ib | 5 | +2.0 [+1.1, +2.9] * | -2.0 [-2.9, -1.1] * | +0.0 [+0.0, +0.0] | "
        + "+0.0 [+0.0, +0.0] |");
    // vsd-shared: 3 of 5 seeds, paired on those 3 (+5 each: sd 0)
    assertThat(md).contains("| vsd-shared | 3 of 5 seeds | 27.0 ± 2.0 [22.0, 32.0] |");
    assertThat(md).contains("| vsd-shared | 3 | +5.0 [+5.0, +5.0] * |");
    // vs ib on the same 3 seeds: {5-1, 5-2, 5-3} = {4, 3, 2}: mean 3, sd 1, hw 4.3027 / sqrt(3) = 2.484
    assertThat(md).contains("Difference from `ib`");
    assertThat(md).contains("| vsd-shared | 3 | +3.0 [+0.5, +5.5] * |");
    AblationReport.Row b = AblationReport.find(r.rows("sysu", List.of("baseline-ce")), "baseline-ce");
    var s = AblationReport.summary(b, AblationReport.SYSU_COLUMNS.get(0));
    assertThat(s.sd()).isCloseTo(Math.sqrt(10), org.assertj.core.api.Assertions.within(1e-12));
    assertThat(s.halfWidth()).isCloseTo(2.776445 * Math.sqrt(10) / Math.sqrt(5),
        org.assertj.core.api.Assertions.within(1e-5));
    // the JSON carries the same numbers
    JsonNode json = AblationPlan.JSON.readTree(r.json());
    JsonNode ib = json.get("sysu").get(1);
    assertThat(ib.get("label").asText()).isEqualTo("ib");
    JsonNode d = ib.get("differences").get("baseline-ce").get("sysu-all-1shot.rank1");
    assertThat(d.get("mean").asDouble()).isEqualTo(2.0);
    assertThat(d.get("low").asDouble()).isCloseTo(2 - 2.776445 * Math.sqrt(0.5) / Math.sqrt(5),
        org.assertj.core.api.Assertions.within(1e-5));
    assertThat(d.get("excludesZero").asBoolean()).isTrue();
    assertThat(json.get("sysu").get(2).get("runs").asInt()).isEqualTo(3);
    assertThat(json.get("sysu").get(2).get("of").asInt()).isEqualTo(5);
  }

  @Test
  void featureSetsGetTheirOwnRowsPairedAgainstBaseline(@TempDir Path out) throws Exception {
    Fixture f = new Fixture(out);
    for (int s = 1; s <= 3; s++) {
      f.add("sysu", "baseline-ce", 0, s, metrics(20 + s, 30, 20, 30, Map.of()));
      Map<String, double[]> sets = new LinkedHashMap<>();
      sets.put("shared-v", new double[] {24 + s, 33});
      sets.put("shared-vz", new double[] {26 + s + (s == 2 ? 1 : 0), 35});
      f.add("sysu", "full", 0, s, metrics(21 + s, 31, 20, 30, sets));
    }
    AblationReport r = new AblationReport(design(List.of("baseline-ce", "full"), 3, List.of()), f.finished,
        Map.of(), "2026-12-04");
    String md = r.markdown();
    assertThat(md).contains("| full | 3 of 3 seeds | 23.0 ± 1.0 [20.5, 25.5] |",
        "| full [shared-v] | 3 of 3 seeds | 26.0 ± 1.0 [23.5, 28.5] | 33.0 ± 0.0 [33.0, 33.0] |",
        "| full [shared-vz] | 3 of 3 seeds |");
    // shared-v - baseline: +4 on every seed; shared-vz: {6, 7, 6}: mean 6.33, sd 0.577, hw 4.3027 * 0.577 / 1.732
    // = 1.434: [+4.9, +7.8]
    assertThat(md).contains("| full [shared-v] | 3 | +4.0 [+4.0, +4.0] * | +3.0 [+3.0, +3.0] * |",
        "| full [shared-vz] | 3 | +6.3 [+4.9, +7.8] * | +5.0 [+5.0, +5.0] * |");
    List<AblationReport.Row> rows = r.rows("sysu", List.of("baseline-ce", "full"));
    assertThat(rows).extracting(AblationReport.Row::label).containsExactly("baseline-ce", "full",
        "full [shared-v]", "full [shared-vz]");
    r.write(out);
    assertThat(out.resolve("ablation.png")).exists();
    assertThat(AblationPlan.JSON.readTree(out.resolve("ablation.json").toFile()).get("sysu").get(2).get("featureSet")
        .asText()).isEqualTo("shared-v");
  }

  @Test
  void releaseAgainstPaperComparisonsArePairedRowByRow(@TempDir Path out) throws Exception {
    Fixture f = new Fixture(out);
    double[] full = {30, 31, 32};
    double[] release = {35, 38, 38};       // - full: {5, 7, 6}: mean 6, sd 1, hw 4.3027 / sqrt(3) = 2.484
    double[] releaseZ = {36, 37, 38};      // - full: {6, 6, 6}
    double[] terms = {34, 38, 36};         // - release: {-1, 0, -2}: mean -1, sd 1: [-3.5, +1.5]
    double[] termsZ = {30, 31, 32};        // - releaseZ: {-6, -6, -6}
    for (int s = 1; s <= 3; s++) {
      f.add("sysu", "full", 0, s, metrics(full[s - 1], 40, 30, 40, Map.of()));
      f.add("sysu", "full-release", 0, s, metrics(release[s - 1], 40, 30, 40,
          Map.of("shared-z", new double[] {releaseZ[s - 1], 40})));
      f.add("sysu", "full-release-terms", 0, s, metrics(terms[s - 1], 40, 30, 40,
          Map.of("shared-z", new double[] {termsZ[s - 1], 40})));
    }
    AblationReport r = new AblationReport(design(List.of("full", "full-release", "full-release-terms"), 3,
        List.of()), f.finished, Map.of(), "2026-12-05");
    String md = r.markdown();
    assertThat(md).contains("The authors' release against the paper, paired by seed");
    assertThat(md).containsPattern("\\| full-release − full \\| [^|]+ \\| 3 \\| "
        + "\\+6\\.0 \\[\\+3\\.5, \\+8\\.5\\] \\* \\| \\+0\\.0 \\[\\+0\\.0, \\+0\\.0\\] \\|");
    assertThat(md).containsPattern("\\| full-release \\[shared-z\\] − full \\| [^|]+ \\| 3 \\| "
        + "\\+6\\.0 \\[\\+6\\.0, \\+6\\.0\\] \\* \\|");
    assertThat(md).containsPattern("\\| full-release-terms − full-release \\| [^|]+ \\| 3 \\| "
        + "-1\\.0 \\[-3\\.5, \\+1\\.5\\] \\|");
    assertThat(md).containsPattern("\\| full-release-terms \\[shared-z\\] − full-release \\[shared-z\\] \\| [^|]+ "
        + "\\| 3 \\| -6\\.0 \\[-6\\.0, -6\\.0\\] \\* \\|");
    JsonNode c = AblationPlan.JSON.readTree(r.json()).get("comparisons");
    assertThat(c).hasSize(4);
    JsonNode d = c.get(2).get("differences").get("sysu-all-1shot.rank1");
    assertThat(c.get(2).get("row").asText()).isEqualTo("full-release-terms");
    assertThat(d.get("mean").asDouble()).isCloseTo(-1.0, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(d.get("low").asDouble()).isCloseTo(-1 - 4.302653 / Math.sqrt(3),
        org.assertj.core.api.Assertions.within(1e-5));
    assertThat(d.get("excludesZero").asBoolean()).isFalse();
    // without the release variants the section is left out
    AblationReport paperOnly = new AblationReport(design(List.of("full"), 3, List.of()), f.finished, Map.of(),
        "2026-12-05");
    assertThat(paperOnly.markdown()).doesNotContain("The authors' release against the paper");
    assertThat(AblationPlan.JSON.readTree(paperOnly.json()).get("comparisons")).isEmpty();
  }

  private static JsonNode probe(double modalityAccuracy, int scored) throws Exception {
    return AblationPlan.JSON.readTree(String.format(Locale.ROOT, "{\"features\": [{\"name\": \"shared.v\", "
        + "\"output\": \"v\", \"scores\": {\"modality\": {\"metric\": \"accuracy\", \"value\": 0.95, \"chance\": "
        + "0.667, \"scored\": %d}}}, {\"name\": \"shared.z\", \"output\": \"z\", \"scores\": {\"modality\": "
        + "{\"metric\": \"accuracy\", \"value\": %s, \"chance\": 0.667, \"scored\": %d}, \"heat\": {\"metric\": "
        + "\"r2\", \"value\": 0.25, \"chance\": 0, \"scored\": %d}}}]}", scored, modalityAccuracy, scored, scored));
  }

  @Test
  void verdictsFollowTheRules(@TempDir Path out) throws Exception {
    Fixture f = new Fixture(out);
    List<String> variants = List.of("baseline-ce", "ib", "vib", "vsd-shared", "crossview", "full");
    double[] noise = {0, 1, -1, 2, -2};
    for (int s = 1; s <= 5; s++) {
      double n = noise[s - 1];
      f.add("sysu", "baseline-ce", 0, s, metrics(30 + n, 35 + n, 30, 30, Map.of()));
      // vsd-shared beats ib by 3 points on every seed (both metrics): holds
      f.add("sysu", "ib", 0, s, metrics(27 + n + 0.1 * s, 32 + n, 30, 30, Map.of()));
      f.add("sysu", "vsd-shared", 0, s, metrics(30 + n + 0.1 * s, 35 + n, 30, 30, Map.of()));
      // vib beats vsd-shared clearly: "VSD > VIB" does not hold
      f.add("sysu", "vib", 0, s, metrics(34 + n + 0.2 * s, 39 + n + 0.1 * s, 30, 30, Map.of()));
      // crossview vs vsd-shared: R1 differences {+3, -3, +1, -1, 0}: cannot tell
      double[] w = {3, -3, 1, -1, 0};
      f.add("sysu", "crossview", 0, s, metrics(30 + n + 0.1 * s + w[s - 1], 35 + n + w[s - 1], 30, 30, Map.of()));
      // full: level with vsd-shared and baseline within 0.5 point: "≥" holds under the 1-point margin
      double[] e = {0.2, -0.2, 0.1, -0.1, 0};
      f.add("sysu", "full", 0, s, metrics(30 + n + 0.1 * s + e[s - 1], 35 + n + e[s - 1], 30, 30, Map.of()));
    }
    // z-dim: a clear peak at 64 = D/8 over 3 seeds
    int[] sizes = {8, 16, 32, 64, 128};
    double[] level = {20, 22, 25, 30, 25};
    for (int i = 0; i < sizes.length; i++) {
      for (int s = 1; s <= 3; s++) {
        f.add("zdim", "vsd-shared", sizes[i], s, metrics(level[i] + s + (sizes[i] == 128 ? 0.1 * s : 0), 30, 0, 0,
            Map.of()));
      }
    }
    Map<String, JsonNode> probes = new LinkedHashMap<>();
    probes.put("crossview", probe(0.70, 400));
    probes.put("vsd-shared", probe(0.72, 400));
    AblationReport r = new AblationReport(design(variants, 5, List.of(8, 16, 32, 64, 128)), f.finished, probes,
        "2026-12-04");
    List<AblationReport.VerdictLine> v = r.verdicts();
    assertThat(v).extracting(AblationReport.VerdictLine::verdict).containsExactly(Verdict.HOLDS,
        Verdict.DOES_NOT_HOLD, Verdict.HOLDS, Verdict.CANNOT_TELL, Verdict.HOLDS);
    assertThat(v.get(3).numbers()).contains("modality probe of z: crossview 70.0 % vs vsd-shared 72.0 %");
    assertThat(v.get(4).numbers()).contains("argmax of mean all-search R1: z = 64");
    String md = r.markdown();
    assertThat(md).contains("| VSD > IB on one branch (vsd-shared vs ib) | **holds** |",
        "| VSD > VIB (vsd-shared vs vib) | **does not hold** |", "non-inferiority, margin 1.0 point",
        "| chance | | 66.7 | 0 |", "| crossview | shared.z | 70.0 | 0.25 |", "| 64 (D/8) | 3 of 3 seeds |");

    // the modality probe decides the fourth claim when R1/mAP hold: a clearly lower modality accuracy holds ...
    Fixture g = new Fixture(out.resolve("g"));
    for (int s = 1; s <= 5; s++) {
      g.add("sysu", "vsd-shared", 0, s, metrics(30 + s, 35 + s, 30, 30, Map.of()));
      g.add("sysu", "crossview", 0, s, metrics(33 + s + 0.1 * s, 38 + s, 30, 30, Map.of()));
    }
    AblationReport.Design d2 = design(List.of("vsd-shared", "crossview"), 5, List.of());
    assertThat(new AblationReport(d2, g.finished, Map.of("crossview", probe(0.60, 400), "vsd-shared",
        probe(0.80, 400)), "d").verdicts().get(3).verdict()).isEqualTo(Verdict.HOLDS);
    // ... a clearly higher one contradicts the R1/mAP gain (cannot tell) ...
    assertThat(new AblationReport(d2, g.finished, Map.of("crossview", probe(0.90, 400), "vsd-shared",
        probe(0.70, 400)), "d").verdicts().get(3).verdict()).isEqualTo(Verdict.CANNOT_TELL);
    // ... and without probes it cannot be told; missing variants cannot be told either
    List<AblationReport.VerdictLine> none = new AblationReport(d2, g.finished, Map.of(), "d").verdicts();
    assertThat(none.get(3).verdict()).isEqualTo(Verdict.CANNOT_TELL);
    assertThat(none.get(0).verdict()).isEqualTo(Verdict.CANNOT_TELL); // no ib
    assertThat(none.get(0).numbers()).contains("no paired runs");
  }

  @Test
  void variantsRankingOneBranchAgainstAnotherGetANoteAndTheShippedOnlyVsd() throws Exception {
    assertThat(AblationReport.crossBranchNote("vsd", List.of("visible.z"), List.of("infrared.z")))
        .contains("`vsd`").contains("visible.z").contains("infrared.z").contains("no verdict uses it");
    assertThat(AblationReport.crossBranchNote("full", List.of("shared.z"), List.of("shared.z"))).isNull();
    assertThat(AblationReport.crossBranchNote("x", List.of("shared.v", "shared.z"), List.of("shared.z"))).isNull();
    assertThat(AblationReport.crossBranchNote("y", List.of("visible.v@raw", "shared.z"), List.of("shared.z")))
        .isNotNull();
    java.nio.file.Path configs = java.nio.file.Path.of("").toAbsolutePath().getParent().resolve("configs");
    java.util.Map<String, String> notes = new java.util.TreeMap<>();
    for (String v : AblationDefaults.VARIANTS) {
      io.ibreid.core.config.RunConfig c = io.ibreid.core.config.ConfigLoader.load(configs.resolve(v + ".yaml"),
          List.of());
      String note = AblationReport.crossBranchNote(v, c.evaluation.visible, c.evaluation.infrared);
      if (note != null) {
        notes.put(v, note);
      }
    }
    assertThat(notes).containsOnlyKeys("vsd");
    AblationReport.Design d = new AblationReport.Design(List.of("baseline-ce", "vsd"), 5, List.of(), 0, 0,
        "vsd-shared", List.of(), 3, 512, "fixture", notes);
    assertThat(new AblationReport(d, List.of(), Map.of(), "2026-12-05").markdown())
        .contains("Note: " + notes.get("vsd"));
  }
}
