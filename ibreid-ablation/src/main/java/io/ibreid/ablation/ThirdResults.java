package io.ibreid.ablation;

import com.fasterxml.jackson.databind.JsonNode;
import io.ibreid.eval.stats.SeedStatistics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a third-design ablation folder holds, read once: every planned run's {@code metrics.json}, probe,
 * {@code terms.json}, reproduction record and import record, the sequential decision and the trajectory test's file,
 * with lookups by (group, variant, feature set) → seed. The report and the sequential rule read the runs through it.
 */
final class ThirdResults {
  static final String TRAJECTORY = "trajectory.json";
  /** The same test in double precision (design.md, Deviations 4): tells a coupling from amplified float rounding. */
  static final String TRAJECTORY_DOUBLE = "trajectory-double.json";

  final AblationPlan plan;
  final Map<String, JsonNode> fingerprints;
  final Map<String, JsonNode> metrics = new LinkedHashMap<>();
  final Map<String, JsonNode> probes = new LinkedHashMap<>();
  final Map<String, JsonNode> terms = new LinkedHashMap<>();
  final Map<String, JsonNode> reproduction = new LinkedHashMap<>();
  final List<String> imported = new ArrayList<>();
  final JsonNode sequential;
  final JsonNode trajectory;
  final JsonNode trajectoryDouble;

  private ThirdResults(AblationPlan plan, Map<String, JsonNode> fingerprints, JsonNode sequential,
      JsonNode trajectory, JsonNode trajectoryDouble) {
    this.plan = plan;
    this.fingerprints = fingerprints;
    this.sequential = sequential;
    this.trajectory = trajectory;
    this.trajectoryDouble = trajectoryDouble;
  }

  static ThirdResults load(AblationPlan plan, Map<String, JsonNode> fingerprints) throws IOException {
    ThirdResults r = new ThirdResults(plan, fingerprints, read(plan.out.resolve(AblationThird.SEQUENTIAL)),
        read(plan.out.resolve(TRAJECTORY)), read(plan.out.resolve(TRAJECTORY_DOUBLE)));
    for (AblationPlan.Run run : plan.runs) {
      Path d = run.dir();
      put(r.metrics, run.id(), read(d.resolve("metrics.json")));
      put(r.probes, run.id(), read(d.resolve(AblationProbe.FILE)));
      put(r.terms, run.id(), read(d.resolve(RunTerms.FILE)));
      put(r.reproduction, run.id(), read(d.resolve(AblationThird.REPRODUCTION)));
      if (Files.isRegularFile(d.resolve(RunImport.FILE))) {
        r.imported.add(run.id());
      }
    }
    return r;
  }

  private static void put(Map<String, JsonNode> map, String key, JsonNode value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static JsonNode read(Path file) throws IOException {
    return Files.isRegularFile(file) ? AblationPlan.JSON.readTree(file.toFile()) : null;
  }

  /** The planned runs of a group and variant (zdim: of a size), in plan order. */
  List<AblationPlan.Run> runs(String group, String variant, int zdim) {
    return plan.runs.stream().filter(r -> r.group().equals(group) && r.variant().equals(variant)
        && r.zdim() == zdim).toList();
  }

  /**
   * Seed → the object holding the protocols ({@code sysu-all-1shot}, ...) of the finished runs of a group and variant,
   * for its primary feature ({@code featureSet} null) or a feature set; RegDB runs are keyed by their seed (= trial).
   */
  SortedMap<Integer, JsonNode> units(String group, String variant, String featureSet) {
    return units(group, variant, 0, featureSet);
  }

  SortedMap<Integer, JsonNode> units(String group, String variant, int zdim, String featureSet) {
    SortedMap<Integer, JsonNode> out = new TreeMap<>();
    for (AblationPlan.Run r : runs(group, variant, zdim)) {
      JsonNode m = metrics.get(r.id());
      if (m == null) {
        continue;
      }
      JsonNode c = featureSet == null ? m : m.path("featureSets").get(featureSet);
      if (c != null && c.isObject()) {
        out.put(r.seed(), c);
      }
    }
    return out;
  }

  /** Seed → a protocol's metric (percent) of {@link #units}. */
  static SortedMap<Integer, Double> values(SortedMap<Integer, JsonNode> units, AblationReport.Column c) {
    SortedMap<Integer, Double> out = new TreeMap<>();
    units.forEach((seed, n) -> {
      double v = AblationReport.value(n, c.protocol(), c.metric());
      if (!Double.isNaN(v)) {
        out.put(seed, v);
      }
    });
    return out;
  }

  /** The feature sets named in a variant's finished runs, in order of appearance. */
  List<String> featureSets(String group, String variant) {
    List<String> out = new ArrayList<>();
    for (AblationPlan.Run r : runs(group, variant, 0)) {
      JsonNode m = metrics.get(r.id());
      if (m != null) {
        m.path("featureSets").fieldNames().forEachRemaining(f -> {
          if (!out.contains(f)) {
            out.add(f);
          }
        });
      }
    }
    return out;
  }

  /** Seed → held-out probe accuracy (percent; R² × 100 for continuous factors) of the z feature for {@code factor}. */
  SortedMap<Integer, Double> probe(String group, String variant, String factor) {
    SortedMap<Integer, Double> out = new TreeMap<>();
    for (AblationPlan.Run r : runs(group, variant, 0)) {
      JsonNode p = probes.get(r.id());
      if (p == null) {
        continue;
      }
      for (JsonNode f : p.path("features")) {
        if (f.path("output").asText().equals("z")) {
          JsonNode s = f.path("scores").get(factor);
          if (s != null && s.path("value").isNumber()) {
            out.put(r.seed(), 100 * s.path("value").asDouble());
          }
          break;
        }
      }
    }
    return out;
  }

  /** The factors a variant's probes scored, with their metric ({@code accuracy} or {@code r2}), in order. */
  Map<String, String> probeFactors() {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode p : probes.values()) {
      for (JsonNode f : p.path("features")) {
        f.path("scores").fields().forEachRemaining(e -> out.putIfAbsent(e.getKey(), e.getValue().path("metric")
            .asText()));
      }
    }
    return out;
  }

  /** The seeds {@code a} and {@code b} both have, at most {@code maxSeed}; a − b with a t interval at {@code level}. */
  static SeedStatistics.Summary paired(SortedMap<Integer, Double> a, SortedMap<Integer, Double> b, double level,
      int maxSeed) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    a.forEach((seed, v) -> {
      Double w = b.get(seed);
      if (seed <= maxSeed && w != null) {
        x.add(v);
        y.add(w);
      }
    });
    if (x.isEmpty()) {
      return null;
    }
    return SeedStatistics.paired(x.stream().mapToDouble(Double::doubleValue).toArray(),
        y.stream().mapToDouble(Double::doubleValue).toArray(), level);
  }

  /** Mean ± sd with a t interval at {@code level}, or null. */
  static SeedStatistics.Summary of(SortedMap<Integer, Double> a, double level) {
    return a.isEmpty() ? null : SeedStatistics.of(a.values().stream().mapToDouble(Double::doubleValue).toArray(),
        level);
  }

  /** The claims the sequential rule extended (empty until it ran). */
  List<String> extended() {
    List<String> out = new ArrayList<>();
    if (sequential != null) {
      sequential.path("extended").forEach(e -> out.add(e.asText()));
    }
    return out;
  }
}
