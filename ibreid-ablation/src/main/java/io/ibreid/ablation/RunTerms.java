package io.ibreid.ablation;

import com.fasterxml.jackson.databind.JsonNode;
import io.ibreid.core.config.LossLabels;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.train.MetricsLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code terms.json}: a run's training curves, small enough to commit (a run's {@code metrics.jsonl} is ~0.5 MB):
 * per bucket of {@link #EVERY} steps the mean of every loss term's unweighted value and of every diagnostic (a term's
 * bound estimates, its weighted output-space gradient norm {@code LABEL.gradNorm}), the terms' weights and types from
 * the config, and the validation records. The report draws the regularisers' curves from it.
 */
final class RunTerms {
  static final String FILE = "terms.json";
  static final int EVERY = 10;

  private RunTerms() {}

  /** Reads {@code DIR/metrics.jsonl} and writes {@code DIR/terms.json}; nothing when there is no metrics.jsonl. */
  static void write(Path dir, RunConfig config) throws IOException {
    Path log = dir.resolve("metrics.jsonl");
    if (!Files.isRegularFile(log)) {
      return;
    }
    TreeMap<Long, Map<String, double[]>> buckets = new TreeMap<>(); // bucket -> key -> {sum, count}
    List<JsonNode> validation = new ArrayList<>();
    for (JsonNode n : MetricsLog.read(log)) {
      if (n.has("validation")) {
        validation.add(n);
        continue;
      }
      if (n.path("skipped").asBoolean(false)) {
        continue;
      }
      long it = n.path("iteration").asLong();
      Map<String, double[]> b = buckets.computeIfAbsent(it / EVERY, k -> new LinkedHashMap<>());
      add(b, "iteration", it);
      add(b, "loss", n.path("loss").asDouble());
      add(b, "gradNorm", n.path("gradNorm").asDouble());
      for (String part : List.of("terms", "diagnostics")) {
        for (Iterator<Map.Entry<String, JsonNode>> e = n.path(part).fields(); e.hasNext(); ) {
          Map.Entry<String, JsonNode> kv = e.next();
          add(b, part + "/" + kv.getKey(), kv.getValue().asDouble());
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("every", EVERY);
    Map<String, Double> weights = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    for (RunConfig.LossSpec spec : config.losses) {
      weights.put(LossLabels.label(spec), spec.weight);
      types.put(LossLabels.label(spec), spec.type);
    }
    out.put("weights", weights);
    out.put("types", types);
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (Map<String, double[]> b : buckets.values()) {
      for (String key : b.keySet()) {
        series.computeIfAbsent(key, k -> new ArrayList<>());
      }
    }
    for (Map<String, double[]> b : buckets.values()) {
      for (Map.Entry<String, List<Double>> e : series.entrySet()) {
        double[] acc = b.get(e.getKey());
        e.getValue().add(acc == null || acc[1] == 0 ? null : acc[0] / acc[1]);
      }
    }
    out.put("series", series);
    out.put("validation", validation);
    AtomicFiles.writeString(dir.resolve(FILE), AblationPlan.JSON.writeValueAsString(out) + "\n");
  }

  private static void add(Map<String, double[]> bucket, String key, double value) {
    if (!Double.isFinite(value)) {
      return;
    }
    double[] acc = bucket.computeIfAbsent(key, k -> new double[2]);
    acc[0] += value;
    acc[1]++;
  }
}
