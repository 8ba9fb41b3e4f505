package io.ibreid.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.train.Checkpoints;
import io.ibreid.core.train.TrainedRun;
import io.ibreid.data.synthetic.SyntheticGenerator;
import io.ibreid.data.training.SyntheticDataset;
import io.ibreid.eval.run.RunEvaluation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibreid ablation}, second version: the paper's comparisons as a fixed design. Before any training the
 * design — every run with its resolved config, the data sets' fingerprints, the budget — is written to
 * {@code plan.json} ({@link AblationPlan}); a restart with another design is refused unless {@code --new-plan}.
 * Then: the SYSU main table seed by seed (every variant of seed 1, then of seed 2, ...), the probes of seed 1's best
 * checkpoints, the RegDB-layout table, the z-dim sweep. Every run trains for the same budget, chooses its
 * checkpoint on the validation split and is evaluated; after every finished run (and probe) the report
 * ({@link AblationReport}) is rewritten. Finished runs and probes are reused, interrupted runs resumed. Defaults:
 * {@link AblationDefaults}.
 */
@Command(name = "ablation", description = "Train and evaluate the baselines and the method's variants on the same "
    + "lab data and budget over several seeds (SYSU-layout table, probes, RegDB-layout table, z-dim sweep); "
    + "the design is fixed in plan.json first; writes ablation.md/json, probe.json, ablation.png and zdim.png "
    + "after every run.")
final class AblationCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR")
  Path out;

  @Option(names = "--seeds", description = "Seeds per variant in the SYSU table (default: "
      + AblationDefaults.SEEDS + ").")
  int seeds = AblationDefaults.SEEDS;

  @Option(names = "--iterations", description = "Training iterations per run (default: "
      + AblationDefaults.ITERATIONS + ").")
  int iterations = AblationDefaults.ITERATIONS;

  @Option(names = "--epochs", description = "Epochs the budget is split into; validation and a checkpoint after "
      + "each (default: " + AblationDefaults.EPOCHS + ").")
  int epochs = AblationDefaults.EPOCHS;

  @Option(names = "--variants", split = ",", description = "SYSU-table variants (config names under configs/; "
      + "default: the committed list, see README).")
  List<String> variants = new ArrayList<>(AblationDefaults.VARIANTS);

  @Option(names = "--trials", description = "SYSU random galleries per evaluation (default: "
      + AblationDefaults.SYSU_TRIALS + ").")
  int trials = AblationDefaults.SYSU_TRIALS;

  @Option(names = "--data", paramLabel = "DIR", description = "SYSU-layout data root (default: "
      + AblationDefaults.SYSU_DATA + "; the lab is generated there if missing).")
  Path data;

  @Option(names = "--zdim-variant", description = "Config swept over z-dim (default: "
      + AblationDefaults.ZDIM_VARIANT + ").")
  String zdimVariant = AblationDefaults.ZDIM_VARIANT;

  @Option(names = "--zdims", split = ",", description = "z sizes (default: D/64, D/32, D/16, D/8, D/4 of the "
      + "encoder's observation size D; none: --zdims=0).")
  List<Integer> zdims;

  @Option(names = "--zdim-seeds", description = "Seeds of the z-dim sweep (default: " + AblationDefaults.ZDIM_SEEDS
      + "; 0: no sweep).")
  int zdimSeeds = AblationDefaults.ZDIM_SEEDS;

  @Option(names = "--regdb-variants", split = ",", description = "RegDB-table variants (default: baseline-ce,"
      + "vsd-shared,crossview,full; none: --regdb-variants=none).")
  List<String> regdbVariants = new ArrayList<>(AblationDefaults.REGDB_VARIANTS);

  @Option(names = "--regdb-seeds", description = "Seeds of the RegDB table (default: " + AblationDefaults.REGDB_SEEDS
      + ").")
  int regdbSeeds = AblationDefaults.REGDB_SEEDS;

  @Option(names = "--regdb-trials", description = "RegDB trials (train/test splits), each its own training run "
      + "(default: " + AblationDefaults.REGDB_TRIALS + ").")
  int regdbTrials = AblationDefaults.REGDB_TRIALS;

  @Option(names = "--regdb-data", paramLabel = "DIR", description = "RegDB-layout data root (default: "
      + AblationDefaults.REGDB_DATA + ", generated there if missing).")
  Path regdbData;

  @Option(names = "--no-probes", description = "Skip the probe table.")
  boolean noProbes;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override applied to every run (recorded in "
      + "the plan).")
  List<String> overrides = new ArrayList<>();

  @Option(names = {"--plan-only", "--dry-run"}, description = "Print the plan and an estimated wall time; exit.")
  boolean planOnly;

  @Option(names = "--report-only", description = "Rewrite ablation.md, ablation.json, probe.json and the plots from "
      + "the runs and probes already in DIR (the plan must match); train nothing.")
  boolean reportOnly;

  @Option(names = "--new-plan", description = "Replace an existing plan.json that differs (runs whose config "
      + "changed are moved aside to DIR.superseded-N, unchanged ones are reused).")
  boolean newPlan;

  @Option(names = "--probe-threads", defaultValue = "2", description = "Probes fitted at the same time (default: 2).")
  int probeThreads;

  @Option(names = "--quiet", description = "No progress bars.")
  boolean quiet;

  @Option(names = "--kernels", paramLabel = "libnd4j|onednn", description = "The fast encoder's convolution and "
      + "batch-norm kernels for every run: libnd4j (default; what the committed run used, so a rerun reproduces its "
      + "tables bit for bit) or onednn (oneDNN called directly: a faster step, other float rounding). Recorded in "
      + "the plan.")
  String kernels = AblationDefaults.KERNELS;

  private Path configFile(String variant) {
    return DemoCommand.home().resolve("configs").resolve(variant + ".yaml");
  }

  AblationPlan.Settings settings() {
    List<String> regdb = regdbVariants.size() == 1 && (regdbVariants.get(0).equals("none")
        || regdbVariants.get(0).isEmpty()) ? List.of() : List.copyOf(regdbVariants);
    boolean noZ = zdimSeeds == 0 || (zdims != null && zdims.stream().allMatch(z -> z <= 0));
    return new AblationPlan.Settings(List.copyOf(variants), seeds, iterations, epochs, trials,
        (data == null ? DemoCommand.home().resolve(AblationDefaults.SYSU_DATA) : data).toAbsolutePath().normalize(),
        noZ ? "" : zdimVariant, zdims, noZ ? 0 : zdimSeeds, regdb, regdb.isEmpty() ? 0 : regdbSeeds,
        regdb.isEmpty() ? 0 : regdbTrials,
        (regdbData == null ? DemoCommand.home().resolve(AblationDefaults.REGDB_DATA) : regdbData).toAbsolutePath()
            .normalize(), List.copyOf(overrides));
  }

  @Override
  public Integer call() throws IOException {
    // the plan's kernels hold while this command runs; the process's own setting is restored after
    boolean before = io.ibreid.core.natives.NativeRuntime.directKernelsAllowed();
    try {
      return runPlan();
    } finally {
      io.ibreid.core.natives.NativeRuntime.allowDirectKernels(before);
    }
  }

  private Integer runPlan() throws IOException {
    // before anything is read or generated
    if (!kernels.equals("libnd4j") && !kernels.equals("onednn")) {
      throw new IbreidException("--kernels " + kernels + ": expected libnd4j or onednn");
    }
    PrintWriter console = spec.commandLine().getOut();
    AblationPlan plan = AblationPlan.build(settings(), out, this::configFile);
    Map<String, JsonNode> fingerprints = new LinkedHashMap<>();
    if (!planOnly && !reportOnly) {
      ensureData(plan);
    }
    if (!plan.group("sysu").isEmpty() || !plan.group("zdim").isEmpty()) {
      fingerprints.put("sysu", AblationPlan.fingerprint(plan.settings.sysuData()));
    }
    if (!plan.group("regdb").isEmpty()) {
      fingerprints.put("regdb", AblationPlan.fingerprint(plan.settings.regdbData()));
    }
    ObjectNode planJson = plan.toJson(fingerprints);
    planJson.put("probes", !noProbes);
    planJson.put("kernels", kernels);
    printPlan(plan, console);
    Path planFile = out.resolve(AblationPlan.FILE);
    String difference = null;
    if (Files.isRegularFile(planFile)) {
      difference = AblationPlan.firstDifference(AblationPlan.upgrade(AblationPlan.JSON.readTree(planFile.toFile())),
          planJson);
    }
    if (planOnly) {
      console.println(Files.isRegularFile(planFile) ? (difference == null ? planFile + ": the same plan"
          : planFile + " differs: " + difference) : "no " + planFile + " yet");
      console.println(estimate(plan));
      console.flush();
      return 0;
    }
    if (difference != null && (reportOnly || !newPlan)) {
      throw new IbreidException(planFile + " was written for another plan (" + difference + "); " + (reportOnly
          ? "--report-only needs the options it was run with" : "run with the same options, or add --new-plan to "
          + "replace it"));
    }
    // every model this command builds from here on (training, evaluation, probes) uses the plan's kernels
    io.ibreid.core.natives.NativeRuntime.allowDirectKernels(kernels.equals("onednn"));
    if (reportOnly) {
      if (!Files.isRegularFile(planFile)) {
        throw new IbreidException("--report-only: no " + planFile + " (nothing has run in " + out + ")");
      }
      report(plan, fingerprints);
      console.println("rewrote the report of the runs on disk: " + out.resolve("ablation.md"));
      console.flush();
      return 0;
    }
    Files.createDirectories(out);
    if (difference != null || !Files.isRegularFile(planFile)) {
      AtomicFiles.writeString(planFile, AblationPlan.JSON.writeValueAsString(planJson) + "\n");
      console.println((difference == null ? "wrote " : "replaced (--new-plan) ") + planFile);
    } else {
      console.println("resuming the plan in " + planFile);
    }
    console.flush();
    long t0 = System.nanoTime();
    int n = 0;
    List<AblationPlan.Run> order = new ArrayList<>(plan.group("sysu"));
    order.addAll(plan.group("regdb"));
    order.addAll(plan.group("zdim"));
    boolean probed = false;
    for (AblationPlan.Run r : order) {
      if (!probed && !r.group().equals("sysu")) {
        probeAll(plan, fingerprints, console);
        probed = true;
      }
      n++;
      console.printf("[%d/%d] %s (%.0f min so far)%n", n, order.size(), r.describe(), (System.nanoTime() - t0) / 60e9);
      console.flush();
      runOne(plan, r, plan.entry(r, fingerprints), console);
      report(plan, fingerprints);
      // ND4J frees a finished run's native buffers only when their Java owners are collected (resident memory grew
      // past 11 GB over 36 runs without this)
      System.gc();
    }
    if (!probed) {
      probeAll(plan, fingerprints, console);
    }
    report(plan, fingerprints);
    console.printf("ablation done in %.0f min; %s%n", (System.nanoTime() - t0) / 60e9, out.resolve("ablation.md"));
    console.print(Files.readString(out.resolve("ablation.md")));
    console.flush();
    return 0;
  }

  private void printPlan(AblationPlan plan, PrintWriter console) {
    AblationPlan.Settings s = plan.settings;
    console.printf("ibreid ablation: %d runs of %d iterations (%d epochs of %d batches, validation + checkpoint "
        + "after each); results in %s%n", plan.runs.size(), s.iterations(), s.epochs(), s.iterations() / s.epochs(),
        out);
    console.printf("  sysu:  %s x %d seeds on %s (%d trials)%n", String.join(",", s.variants()), s.seeds(),
        s.sysuData(), s.sysuTrials());
    console.printf("  probe: %s%n", noProbes ? "off" : "v and z of each variant's seed-" + AblationDefaults.PROBE_SEED
        + " best checkpoint");
    console.printf("  regdb: %s%n", s.regdbVariants().isEmpty() ? "none" : String.join(",", s.regdbVariants())
        + " x " + s.regdbSeeds() + " seeds x " + s.regdbTrials() + " trials on " + s.regdbData());
    console.printf("  zdim:  %s%n", plan.zdims.isEmpty() ? "none" : s.zdimVariant() + " z=" + plan.zdims + " (D = "
        + plan.observationSize + ") x " + s.zdimSeeds() + " seeds");
    for (AblationPlan.Run r : plan.runs) {
      console.printf("  %-5s %-20s z=%-4s seed %d%s -> %s%n", r.group(), r.variant(), r.zdim() > 0 ? r.zdim() : "-",
          r.seed(), r.trial() > 0 ? " trial " + r.trial() : "", r.dir());
    }
    console.flush();
  }

  /** Generates a missing synthetic data set (SYSU lab, RegDB lab) before the plan records its fingerprint. */
  private void ensureData(AblationPlan plan) {
    for (String group : List.of("sysu", "zdim", "regdb")) {
      List<AblationPlan.Run> runs = plan.group(group);
      if (runs.isEmpty()) {
        continue;
      }
      RunConfig cfg = runs.get(0).config();
      SyntheticGenerator.Layout layout = switch (cfg.data.type) {
        case "synthetic-sysu" -> SyntheticGenerator.Layout.SYSU;
        case "synthetic-regdb" -> SyntheticGenerator.Layout.REGDB;
        default -> null;
      };
      if (layout == null) {
        continue;
      }
      SyntheticDataset.Params p = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
          false).convertValue(cfg.data.params, SyntheticDataset.Params.class);
      SyntheticDataset.ensure(Path.of(cfg.data.root), p.spec(layout), Math.max(1, cfg.data.workers));
    }
  }

  /** Trains, evaluates and records one run unless its metrics.json exists; checks the run belongs to this plan. */
  private void runOne(AblationPlan plan, AblationPlan.Run r, ObjectNode entry, PrintWriter console)
      throws IOException {
    Path dir = r.dir();
    Path guard = dir.resolve(AblationPlan.RUN_FILE);
    boolean started = Files.isDirectory(dir) && (Files.exists(dir.resolve("metrics.json"))
        || Files.exists(dir.resolve("config.yaml")) || Files.exists(dir.resolve("checkpoints")));
    if (started) {
      String why = null;
      if (!Files.isRegularFile(guard)) {
        why = "it holds a run not made by a plan (no " + AblationPlan.RUN_FILE + ")";
      } else {
        String d = AblationPlan.firstDifference(AblationPlan.JSON.readTree(guard.toFile()), entry);
        if (d != null) {
          why = "its run was planned differently (" + d.replace(" in plan.json", " there") + ")";
        }
      }
      if (why != null) {
        if (!newPlan) {
          throw new IbreidException(dir + ": " + why + "; move it away or start with --new-plan");
        }
        Path aside = dir.resolveSibling(dir.getFileName() + ".superseded-1");
        for (int k = 2; Files.exists(aside); k++) {
          aside = dir.resolveSibling(dir.getFileName() + ".superseded-" + k);
        }
        Files.move(dir, aside);
        console.println("      " + why + ": moved to " + aside);
      }
    }
    Path metrics = dir.resolve("metrics.json");
    if (Files.isRegularFile(metrics)) {
      console.println("      already evaluated: " + metrics);
      return;
    }
    Files.createDirectories(dir);
    if (!Files.isRegularFile(guard)) {
      AtomicFiles.writeString(guard, AblationPlan.JSON.writeValueAsString(entry) + "\n");
    }
    RunConfig cfg = r.config();
    boolean resume = !new Checkpoints(dir.resolve("checkpoints"), cfg.checkpoint.keep).list().isEmpty();
    TrainCommand.train(cfg, dir, resume, quiet, console);
    TrainedRun trained = TrainedRun.open(dir, "best");
    // the primary feature and every evaluation.featureSets entry, on the same test images, queries and galleries
    List<RunEvaluation.SetResults> sets = EvalCommand.evaluateSets(trained, null, null, null, "both", 1,
        plan.settings.sysuTrials(), false, null);
    console.print(RunEvaluation.tables(sets));
    console.flush();
    EvalCommand.warn(spec.commandLine().getErr(), sets.get(0).results());
    AtomicFiles.writeString(metrics, RunEvaluation.setsJson(sets, Map.of("run", dir.toString(),
        "checkpoint", trained.checkpoint().getFileName().toString())));
  }

  private void probeAll(AblationPlan plan, Map<String, JsonNode> fingerprints, PrintWriter console)
      throws IOException {
    if (noProbes) {
      return;
    }
    for (AblationPlan.Run r : plan.group("sysu")) {
      if (r.seed() != AblationDefaults.PROBE_SEED || !Files.isRegularFile(r.dir().resolve("metrics.json"))) {
        continue;
      }
      boolean done = Files.isRegularFile(r.dir().resolve(AblationProbe.FILE));
      console.printf("probe %s seed %d%s%n", r.variant(), r.seed(), done ? ": already probed" : "");
      console.flush();
      AblationProbe.probe(r.variant(), r.dir(), Math.max(1, probeThreads));
      report(plan, fingerprints);
    }
  }

  /** The report from the runs and probes found on disk. */
  AblationReport reportOf(AblationPlan plan, Map<String, JsonNode> fingerprints) throws IOException {
    List<AblationReport.Finished> finished = new ArrayList<>();
    Map<String, JsonNode> probes = new LinkedHashMap<>();
    for (AblationPlan.Run r : plan.runs) {
      JsonNode m = AblationReport.readMetrics(r.dir());
      if (m != null) {
        finished.add(new AblationReport.Finished(r.group(), r.variant(), r.zdim(), r.seed(), r.trial(), m));
      }
      Path p = r.dir().resolve(AblationProbe.FILE);
      if (r.group().equals("sysu") && r.seed() == AblationDefaults.PROBE_SEED && Files.isRegularFile(p)) {
        probes.put(r.variant(), AblationPlan.JSON.readTree(p.toFile()));
      }
    }
    return new AblationReport(design(plan, fingerprints, kernels), finished, probes, LocalDate.now().toString());
  }

  private void report(AblationPlan plan, Map<String, JsonNode> fingerprints) throws IOException {
    reportOf(plan, fingerprints).write(out);
  }

  static AblationReport.Design design(AblationPlan plan, Map<String, JsonNode> fingerprints, String kernels) {
    AblationPlan.Settings s = plan.settings;
    RunConfig first = plan.runs.isEmpty() ? new RunConfig() : plan.runs.get(0).config();
    StringBuilder d = new StringBuilder();
    d.append(String.format(Locale.ROOT, "Design (plan.json): every run trains %d iterations (%d epochs of %d "
        + "batches of %d identities × %d images, validation on %s held-out training identities and a checkpoint "
        + "after each epoch; the checkpoint with the best validation mAP is evaluated), with its shipped config "
        + "and nothing tuned per variant. SYSU-layout lab `%s` (sha256 %s): %s × %d seeds, single-shot, %d "
        + "trials.", s.iterations(), s.epochs(), s.iterations() / s.epochs(), first.sampler.identities,
        first.sampler.instances, first.data.params.getOrDefault("holdout", AblationDefaults.HOLDOUT), s.sysuData(), shortSha(fingerprints.get("sysu")),
        String.join(", ", s.variants()), s.seeds(), s.sysuTrials()));
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
    d.append(" Kernels of the fast encoder: ").append(kernels).append(" (`--kernels`).");
    Map<String, String> notes = new LinkedHashMap<>();
    for (AblationPlan.Run r : plan.runs) {
      if (r.group().equals("sysu") && !notes.containsKey(r.variant())) {
        String note = AblationReport.crossBranchNote(r.variant(), r.config().evaluation.visible,
            r.config().evaluation.infrared);
        if (note != null) {
          notes.put(r.variant(), note);
        }
      }
    }
    return new AblationReport.Design(s.variants(), s.seeds(), s.regdbVariants(), s.regdbSeeds(), s.regdbTrials(),
        s.zdimVariant(), plan.zdims, s.zdimSeeds(), plan.observationSize, d.toString(), notes);
  }

  private static String shortSha(JsonNode fp) {
    return fp == null || !fp.has("sha256") ? "unknown" : fp.get("sha256").asText().substring(0, 12);
  }

  private static final Pattern ITER = Pattern.compile(
      "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) .*\\biter (\\d+)/(\\d+)");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  /** Training steps per second measured in a train.log (iterations over time between logged steps), or NaN. */
  static double stepsPerSecond(List<String> lines) {
    double steps = 0;
    double seconds = 0;
    LocalDateTime lastTime = null;
    long lastIter = -1;
    for (String line : lines) {
      Matcher m = ITER.matcher(line);
      if (!m.find()) {
        continue;
      }
      LocalDateTime t = LocalDateTime.parse(m.group(1), TIME);
      long it = Long.parseLong(m.group(2));
      if (lastTime != null && it > lastIter) {
        double dt = java.time.Duration.between(lastTime, t).toMillis() / 1000.0;
        if (dt > 0 && dt < 600) { // longer gaps: a pause or a restart, not training
          steps += it - lastIter;
          seconds += dt;
        }
      }
      lastTime = t;
      lastIter = it;
    }
    return seconds > 0 ? steps / seconds : Double.NaN;
  }

  /** The estimate --plan-only prints: training time of the runs still to do, from train.logs under --out. */
  String estimate(AblationPlan plan) throws IOException {
    Map<Integer, double[]> byBranches = new TreeMap<>(); // branches -> {steps/s sum, count}
    Map<Integer, String> source = new TreeMap<>();
    if (Files.isDirectory(out)) {
      try (Stream<Path> s = Files.walk(out, 6)) {
        for (Path log : s.filter(p -> p.getFileName().toString().equals("train.log")).sorted().toList()) {
          Path cfg = log.resolveSibling("config.yaml");
          if (!Files.isRegularFile(cfg)) {
            continue;
          }
          double rate = stepsPerSecond(Files.readAllLines(log));
          if (Double.isNaN(rate)) {
            continue;
          }
          int branches = ConfigLoader.load(cfg, List.of()).branches.size();
          double[] acc = byBranches.computeIfAbsent(branches, k -> new double[2]);
          acc[0] += rate;
          acc[1]++;
          source.putIfAbsent(branches, log.toString());
        }
      } catch (RuntimeException e) {
        return "estimated wall time: unknown (could not read the train.logs under " + out + ": " + e.getMessage()
            + ")";
      }
    }
    if (byBranches.isEmpty()) {
      return "estimated wall time: unknown (no train.log under " + out + " yet to measure steps/s from)";
    }
    double seconds = 0;
    int todo = 0;
    int unknown = 0;
    for (AblationPlan.Run r : plan.runs) {
      if (Files.isRegularFile(r.dir().resolve("metrics.json"))) {
        continue;
      }
      todo++;
      double[] acc = byBranches.get(r.config().branches.size());
      if (acc == null) {
        unknown++;
      } else {
        seconds += r.config().schedule.maxIterations / (acc[0] / acc[1]);
      }
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "estimated wall time: %.1f h of training for "
        + "%d of the %d runs still to do", seconds / 3600, todo - unknown, todo));
    byBranches.forEach((b, acc) -> sb.append(String.format(Locale.ROOT, "; %d-branch runs at %.2f steps/s "
        + "(mean of %d train.logs, e.g. %s)", b, acc[0] / acc[1], (int) acc[1], source.get(b))));
    if (unknown > 0) {
      sb.append("; ").append(unknown).append(" runs of a branch count with no train.log yet: unknown");
    }
    sb.append("; evaluation and probes not included");
    return sb.toString();
  }
}
