package io.ibreid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.train.Checkpoints;
import io.ibreid.core.train.TrainedRun;
import io.ibreid.eval.report.LineChart;
import io.ibreid.eval.run.RunEvaluation;
import io.ibreid.eval.stats.SeedStatistics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibreid ablation}: the paper's comparisons in miniature. Trains every variant for the same number of
 * iterations on the same synthetic data set, once per seed, chooses each run's checkpoint on the validation split
 * and evaluates it with the SYSU-MM01 protocol (all-search and indoor, single-shot, 10 trials); then a z-dimension
 * sweep of single-branch VSD. Writes {@code ablation.md}, {@code ablation.json} and {@code zdim.png}. Finished runs
 * (with a metrics.json) are reused, interrupted ones resumed, so the command can simply be started again.
 */
@Command(name = "ablation", description = "Train and evaluate the baselines and the method's variants on the same "
    + "synthetic data and budget, over several seeds, plus a z-dim sweep; write a Markdown table and a plot.")
final class AblationCommand implements Callable<Integer> {
  static final List<String> VARIANTS = List.of("baseline-ce", "ib", "vib", "vsd-shared", "vsd", "crossview", "full");

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR")
  Path out;

  @Option(names = "--seeds", defaultValue = "3", description = "Seeds per variant (default: 3).")
  int seeds;

  @Option(names = "--iterations", defaultValue = "400", description = "Training iterations per run (the budget; "
      + "default: 400).")
  int iterations;

  @Option(names = "--epochs", defaultValue = "8", description = "Epochs the budget is split into (validation and a "
      + "checkpoint after each; default: 8).")
  int epochs;

  @Option(names = "--variants", split = ",", description = "Variants (config names under configs/; default: "
      + "baseline-ce,ib,vib,vsd-shared,vsd,crossview,full).")
  List<String> variants = new ArrayList<>(VARIANTS);

  @Option(names = "--zdim-variant", defaultValue = "vsd-shared", description = "Config swept over z-dim "
      + "(default: vsd-shared).")
  String zdimVariant;

  @Option(names = "--zdims", split = ",", description = "z sizes (default: D/64, D/32, D/16, D/8, D/4 of the "
      + "encoder's observation size D; none: --zdims=0).")
  List<Integer> zdims;

  @Option(names = "--trials", defaultValue = "10", description = "SYSU random galleries per evaluation.")
  int trials;

  @Option(names = "--data", paramLabel = "DIR", description = "Synthetic data set root (default: data/lab-sysu).")
  Path data;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override applied to every run.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--dry-run", description = "Print the plan and exit.")
  boolean dryRun;

  @Option(names = "--quiet", description = "No progress bars.")
  boolean quiet;

  /** One planned run. */
  record Plan(String group, String variant, int zdim, int seed, Path dir, List<String> overrides) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter console = spec.commandLine().getOut();
    if (seeds < 1 || iterations < 1 || epochs < 1 || iterations < epochs) {
      throw new IbreidException("--seeds, --iterations and --epochs must be >= 1, and --iterations >= --epochs");
    }
    List<Plan> plans = plan();
    console.printf("ibreid ablation: %d runs of %d iterations (%d epochs of %d batches), %d seeds; results in %s%n",
        plans.size(), iterations, epochs, iterations / epochs, seeds, out);
    for (Plan p : plans) {
      console.printf("  %-10s %-12s z=%-4s seed %d -> %s%n", p.group(), p.variant(), p.zdim() > 0 ? p.zdim() : "-",
          p.seed(), p.dir());
    }
    console.flush();
    if (dryRun) {
      return 0;
    }
    long t0 = System.nanoTime();
    Map<Plan, JsonNode> results = new LinkedHashMap<>();
    int n = 0;
    for (Plan p : plans) {
      n++;
      console.printf("[%d/%d] %s %s%s seed %d (%.0f min so far)%n", n, plans.size(), p.group(), p.variant(),
          p.zdim() > 0 ? " z=" + p.zdim() : "", p.seed(), (System.nanoTime() - t0) / 60e9);
      console.flush();
      results.put(p, runOne(p, console));
      writeSummary(results);
      // ND4J frees a finished run's native buffers only when their Java owners are collected; with a large heap
      // and little heap pressure that can take many runs (resident memory grew past 11 GB over 36 runs).
      System.gc();
    }
    console.printf("ablation done in %.0f min; %s%n", (System.nanoTime() - t0) / 60e9, out.resolve("ablation.md"));
    console.print(Files.readString(out.resolve("ablation.md")));
    console.flush();
    return 0;
  }

  private Path configFile(String variant) {
    return DemoCommand.home().resolve("configs").resolve(variant + ".yaml");
  }

  List<Plan> plan() {
    List<String> common = new ArrayList<>();
    common.add("data.root=" + (data == null ? DemoCommand.home().resolve("data/lab-sysu") : data));
    common.add("schedule.epochs=" + epochs);
    common.add("schedule.batchesPerEpoch=" + (iterations / epochs));
    common.add("schedule.maxIterations=" + iterations);
    common.add("schedule.milestones=[" + Math.max(1, (int) Math.round(epochs * 0.75)) + "]");
    common.add("data.params.holdout=20");
    common.addAll(overrides);
    List<Plan> plans = new ArrayList<>();
    for (String v : variants) {
      if (!Files.isRegularFile(configFile(v))) {
        throw new IbreidException("--variants names [" + v + "], but " + configFile(v) + " does not exist");
      }
      for (int s = 1; s <= seeds; s++) {
        List<String> o = new ArrayList<>(common);
        o.add("seed=" + s);
        plans.add(new Plan("method", v, 0, s, out.resolve("runs").resolve(v).resolve("seed-" + s), o));
      }
    }
    List<Integer> sizes = zdims;
    RunConfig base = ConfigLoader.load(configFile(zdimVariant), common);
    String branch = base.branches.keySet().iterator().next();
    if (sizes == null) {
      RunConfig.PluginSpec enc = base.branches.get(branch).encoder;
      int d = Plugins.discover().encoder(enc.type).createFromMap(enc.params, "branches." + branch + ".encoder.params")
          .observationSize();
      sizes = List.of(d / 64, d / 32, d / 16, d / 8, d / 4);
    }
    for (int z : sizes) {
      if (z <= 0) {
        continue;
      }
      for (int s = 1; s <= seeds; s++) {
        List<String> o = new ArrayList<>(common);
        o.add("seed=" + s);
        for (String b : base.branches.keySet()) {
          o.add("branches." + b + ".bottleneck.params.dim=" + z);
        }
        plans.add(new Plan("zdim", zdimVariant, z, s, out.resolve("runs").resolve(zdimVariant + "-z" + z)
            .resolve("seed-" + s), o));
      }
    }
    return plans;
  }

  private JsonNode runOne(Plan p, PrintWriter console) throws IOException {
    Path metrics = p.dir().resolve("metrics.json");
    ObjectMapper json = new ObjectMapper();
    if (Files.isRegularFile(metrics)) {
      console.println("      already evaluated: " + metrics);
      return json.readTree(metrics.toFile());
    }
    RunConfig cfg = ConfigLoader.load(configFile(p.variant()), p.overrides());
    boolean resume = !new Checkpoints(p.dir().resolve("checkpoints"), cfg.checkpoint.keep).list().isEmpty();
    TrainCommand.train(cfg, p.dir(), resume, quiet, console);
    TrainedRun trained = TrainedRun.open(p.dir(), "best");
    List<RunEvaluation.Result> results = EvalCommand.evaluate(trained, null, null, null, "both", 1, trials, false);
    console.print(RunEvaluation.table(results));
    console.flush();
    EvalCommand.warn(spec.commandLine().getErr(), results);
    AtomicFiles.writeString(metrics, RunEvaluation.json(results, Map.of("run", p.dir().toString(),
        "checkpoint", trained.checkpoint().getFileName().toString())));
    return json.readTree(metrics.toFile());
  }

  /** Mean and sample standard deviation (n - 1) of a metric over seeds. */
  static double[] stats(List<JsonNode> runs, String protocol, String metric) {
    SeedStatistics.Summary s = SeedStatistics.of(values(runs, protocol, metric));
    return new double[] {s.mean(), s.sd()};
  }

  static double[] values(List<JsonNode> runs, String protocol, String metric) {
    return runs.stream().mapToDouble(r -> r.get(protocol).get(metric).asDouble()).toArray();
  }

  /**
   * Seed-by-seed differences of every variant from a reference variant (the seeds both have), for all-search R1 and
   * mAP, with 95 % t intervals; a star marks an interval that excludes zero.
   */
  static String pairedTable(Map<String, Map<Integer, JsonNode>> bySeed, String reference, String protocol) {
    Map<Integer, JsonNode> ref = bySeed.get(reference);
    if (ref == null) {
      return "";
    }
    StringBuilder md = new StringBuilder();
    md.append("\nDifference from `").append(reference).append("`, paired by seed (").append(protocol)
        .append("; mean [95 % t interval] in points; * = the interval excludes zero):\n\n")
        .append("| variant | seeds | R1 | mAP | mINP |\n|---|---|---|---|---|\n");
    for (Map.Entry<String, Map<Integer, JsonNode>> e : bySeed.entrySet()) {
      if (e.getKey().equals(reference)) {
        continue;
      }
      List<Integer> seedsBoth = e.getValue().keySet().stream().filter(ref::containsKey).sorted().toList();
      if (seedsBoth.isEmpty()) {
        continue;
      }
      List<JsonNode> a = seedsBoth.stream().map(e.getValue()::get).toList();
      List<JsonNode> b = seedsBoth.stream().map(ref::get).toList();
      md.append("| ").append(e.getKey()).append(" | ").append(seedsBoth.size());
      for (String m : new String[] {"rank1", "mAP", "mINP"}) {
        md.append(" | ").append(SeedStatistics.paired(values(a, protocol, m), values(b, protocol, m)).difference());
      }
      md.append(" |\n");
    }
    return md.toString();
  }

  private void writeSummary(Map<Plan, JsonNode> results) throws IOException {
    Map<String, List<JsonNode>> byVariant = new LinkedHashMap<>();
    Map<String, Map<Integer, JsonNode>> bySeed = new LinkedHashMap<>();
    Map<Integer, List<JsonNode>> byZ = new java.util.TreeMap<>();
    results.forEach((p, r) -> {
      if (p.group().equals("method")) {
        byVariant.computeIfAbsent(p.variant(), k -> new ArrayList<>()).add(r);
        bySeed.computeIfAbsent(p.variant(), k -> new java.util.TreeMap<>()).put(p.seed(), r);
      } else {
        byZ.computeIfAbsent(p.zdim(), k -> new ArrayList<>()).add(r);
      }
    });
    String[] protocols = {"sysu-all-1shot", "sysu-indoor-1shot"};
    String[] metricKeys = {"rank1", "rank10", "mAP", "mINP"};
    StringBuilder md = new StringBuilder();
    md.append("Ablation on the synthetic SYSU-MM01-layout set, ").append(LocalDate.now()).append(": ")
        .append(iterations).append(" iterations per run, ").append(seeds).append(" seed(s), checkpoint chosen on ")
        .append("the validation split, SYSU protocol single-shot, ").append(trials)
        .append(" trials; mean ± sample std over seeds (percent).\n\n");
    md.append("| variant | runs | all R1 | all R10 | all mAP | all mINP | indoor R1 | indoor R10 | indoor mAP | "
        + "indoor mINP |\n|---|---|---|---|---|---|---|---|---|---|\n");
    Map<String, Object> jsonOut = new LinkedHashMap<>();
    for (Map.Entry<String, List<JsonNode>> e : byVariant.entrySet()) {
      md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().size());
      Map<String, Object> row = new LinkedHashMap<>();
      for (String protocol : protocols) {
        for (String m : metricKeys) {
          double[] s = stats(e.getValue(), protocol, m);
          md.append(String.format(Locale.ROOT, " | %.1f ± %.1f", s[0], s[1]));
          row.put(protocol + "." + m, List.of(s[0], s[1]));
        }
      }
      md.append(" |\n");
      jsonOut.put(e.getKey(), row);
    }
    md.append(pairedTable(bySeed, "baseline-ce", protocols[0]));
    md.append(pairedTable(bySeed, "ib", protocols[0]));
    if (!byZ.isEmpty()) {
      md.append("\nz-dim sweep of ").append(zdimVariant).append(" (all-search single-shot):\n\n")
          .append("| z-dim | runs | R1 | mAP | mINP |\n|---|---|---|---|---|\n");
      double[] xs = new double[byZ.size()];
      double[][] r1 = new double[2][byZ.size()];
      double[][] map = new double[2][byZ.size()];
      int i = 0;
      Map<String, Object> zjson = new LinkedHashMap<>();
      for (Map.Entry<Integer, List<JsonNode>> e : byZ.entrySet()) {
        double[] a = stats(e.getValue(), protocols[0], "rank1");
        double[] b = stats(e.getValue(), protocols[0], "mAP");
        double[] c = stats(e.getValue(), protocols[0], "mINP");
        md.append(String.format(Locale.ROOT, "| %d | %d | %.1f ± %.1f | %.1f ± %.1f | %.1f ± %.1f |%n", e.getKey(),
            e.getValue().size(), a[0], a[1], b[0], b[1], c[0], c[1]));
        xs[i] = e.getKey();
        r1[0][i] = a[0];
        r1[1][i] = a[1];
        map[0][i] = b[0];
        map[1][i] = b[1];
        zjson.put(String.valueOf(e.getKey()), Map.of("rank1", List.of(a[0], a[1]), "mAP", List.of(b[0], b[1])));
        i++;
      }
      jsonOut.put("zdim:" + zdimVariant, zjson);
      Map<String, LineChart.Series> series = new LinkedHashMap<>();
      series.put("R1", new LineChart.Series(xs, r1[0], r1[1]));
      series.put("mAP", new LineChart.Series(xs, map[0], map[1]));
      if (xs.length > 1) {
        LineChart.write(out.resolve("zdim.png"), zdimVariant + ": SYSU all-search vs z-dim (mean ± std over seeds)",
            "z-dim", "%", true, series);
      }
    }
    Files.createDirectories(out);
    AtomicFiles.writeString(out.resolve("ablation.md"), md.toString());
    AtomicFiles.writeString(out.resolve("ablation.json"), new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(jsonOut));
  }
}
