package io.ibreid.ablation;

import com.fasterxml.jackson.databind.JsonNode;
import io.ibreid.eval.report.LineChart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The regularisers' curves of a third-design ablation, from the runs' {@code terms.json}: for every (group, variant)
 * with a term that is not CE or triplet, each such term's weighted value and the weighted representation
 * cross-entropy CE(z) per bucket of steps, averaged over the variant's runs; the ratios over the last 500 iterations;
 * one PNG per variant ({@code curves/GROUP_VARIANT.png}, log scale of the absolute values). For v2's {@code ib} term, whose value holds
 * CE(z) plus β·bound, the two parts are separated with its {@code ce} diagnostic.
 */
final class ThirdCurves {
  /** The last iterations the ratios average over. */
  static final int TAIL = 500;

  /** One regulariser's curve and ratios. */
  record Curve(String term, String type, double weight, int runs, double[] x, double[] value, double[] ce,
      double valueRatio, double gradRatio) {}

  private ThirdCurves() {}

  static String png(String key) {
    return "curves/" + key.replace('/', '_') + ".png";
  }

  /** {@code group/variant} → its regularisers' curves (only variants with a regulariser and a terms.json). */
  static Map<String, List<Curve>> byVariant(ThirdResults r) {
    Map<String, List<JsonNode>> runs = new LinkedHashMap<>();
    for (AblationPlan.Run run : r.plan.runs) {
      JsonNode t = r.terms.get(run.id());
      if (t != null && run.zdim() == 0) {
        runs.computeIfAbsent(run.group() + "/" + run.variant(), k -> new ArrayList<>()).add(t);
      }
    }
    Map<String, List<Curve>> out = new LinkedHashMap<>();
    runs.forEach((key, list) -> {
      List<Curve> curves = curves(list);
      if (!curves.isEmpty()) {
        out.put(key, curves);
      }
    });
    return out;
  }

  private static List<Curve> curves(List<JsonNode> runs) {
    JsonNode first = runs.get(0);
    Set<String> regs = new LinkedHashSet<>();
    String ceZ = null;
    for (var it = first.path("types").fields(); it.hasNext(); ) {
      var e = it.next();
      String type = e.getValue().asText();
      if (type.equals("ce")) {
        if (e.getKey().endsWith("_z")) {
          ceZ = e.getKey();
        }
      } else if (!type.equals("triplet")) {
        regs.add(e.getKey());
      }
    }
    List<Curve> out = new ArrayList<>();
    for (String term : regs) {
      String type = first.path("types").path(term).asText();
      double w = first.path("weights").path(term).asDouble();
      boolean ib = type.equals("ib");
      String ceKey = ib ? "diagnostics/" + term + ".ce" : ceZ == null ? null : "terms/" + ceZ;
      double ceWeight = ib ? w : ceZ == null ? 1 : first.path("weights").path(ceZ).asDouble();
      if (ceKey == null) {
        continue;
      }
      double[] x = mean(runs, "iteration", 1, null, 0);
      double[] ce = mean(runs, ceKey, ceWeight, null, 0);
      // sizes: a bound can be negative (v2's Jensen-Shannon bound lies in [-2 ln 2, 0]); the log scale shows |value|
      double[] value = abs(ib ? mean(runs, "terms/" + term, w, ceKey, w) : mean(runs, "terms/" + term, w, null, 0));
      double[] gTerm = mean(runs, "diagnostics/" + term + ".gradNorm", 1, null, 0);
      double[] gCe = ceZ == null ? null : mean(runs, "diagnostics/" + ceZ + ".gradNorm", 1, null, 0);
      out.add(new Curve(term, type, w, runs.size(), x, value, ce, tailRatio(x, value, ce),
          gCe == null ? Double.NaN : tailRatio(x, gTerm, gCe)));
    }
    return out;
  }

  /**
   * The mean over runs of {@code weight · series(key)} (minus {@code minusWeight · series(minus)} when given) per
   * bucket; NaN where a run lacks the value.
   */
  private static double[] mean(List<JsonNode> runs, String key, double weight, String minus, double minusWeight) {
    int n = Integer.MAX_VALUE;
    for (JsonNode t : runs) {
      n = Math.min(n, t.path("series").path("iteration").size());
    }
    double[] out = new double[n == Integer.MAX_VALUE ? 0 : n];
    for (int i = 0; i < out.length; i++) {
      double sum = 0;
      int count = 0;
      for (JsonNode t : runs) {
        JsonNode v = t.path("series").path(key).path(i);
        JsonNode m = minus == null ? null : t.path("series").path(minus).path(i);
        if (v.isNumber() && (m == null || m.isNumber())) {
          sum += weight * v.asDouble() - (m == null ? 0 : minusWeight * m.asDouble());
          count++;
        }
      }
      out[i] = count == 0 ? Double.NaN : sum / count;
    }
    return out;
  }

  private static double[] abs(double[] a) {
    double[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.abs(out[i]);
    }
    return out;
  }

  /** mean(a) / mean(b) over the buckets in the last {@link #TAIL} iterations (NaN when either has no value there). */
  private static double tailRatio(double[] x, double[] a, double[] b) {
    if (x.length == 0) {
      return Double.NaN;
    }
    double end = x[x.length - 1];
    double sa = 0;
    double sb = 0;
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > end - TAIL && !Double.isNaN(a[i]) && !Double.isNaN(b[i])) {
        sa += a[i];
        sb += b[i];
        n++;
      }
    }
    return n == 0 || sb == 0 ? Double.NaN : sa / sb;
  }

  /** Writes {@code DIR/GROUP_VARIANT.png} for every variant with curves. */
  static void write(ThirdResults r, Path dir) throws IOException {
    Map<String, List<Curve>> all = byVariant(r);
    if (all.isEmpty()) {
      return;
    }
    Files.createDirectories(dir);
    for (Map.Entry<String, List<Curve>> e : all.entrySet()) {
      Map<String, LineChart.Series> series = new LinkedHashMap<>();
      List<Curve> curves = e.getValue();
      series.put("CE(z), weighted", new LineChart.Series(curves.get(0).x(), curves.get(0).ce(), null));
      for (Curve c : curves) {
        series.put("|" + c.term() + "| × " + c.weight() + (c.type().equals("ib") ? " (β·bound part)" : ""),
            new LineChart.Series(c.x(), c.value(), null));
      }
      LineChart.write(dir.resolve(Path.of(png(e.getKey())).getFileName()), e.getKey() + ": weighted terms over "
          + "training (mean of " + curves.get(0).runs() + " runs)", "iteration", "nats (log scale)", false, true,
          series);
    }
  }
}
