package io.ibreid.ablation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ibreid.Ibreid;
import io.ibreid.TrainOptions;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.run.Checkpoints;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.core.train.TrainerListener;
import io.ibreid.data.synthetic.SyntheticGenerator;
import io.ibreid.data.training.SyntheticDataset;
import io.ibreid.eval.run.RunEvaluation;
import io.ibreid.eval.run.TrainedRunEvaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ablation as calls: what {@code ibreid ablation} does (the command is a thin client of this class). The design
 * ({@link AblationDesign}) is first fixed as {@code plan.json} in the ablation's folder ({@link AblationPlan}): every
 * run with its resolved config, the data sets' fingerprints, the budget, probes and kernels. Then the SYSU table
 * seed by seed, the probes of seed {@link AblationDefaults#PROBE_SEED}'s best checkpoints, the RegDB table and the
 * z-dim sweep are trained, each run choosing its checkpoint on the validation split and evaluated; the report
 * ({@code ablation.md}, {@code ablation.json}, {@code probe.json}, {@code ablation.png}, {@code zdim.png}) is
 * rewritten after every run and probe. Finished runs and probes are reused, interrupted runs resumed.
 *
 * <pre>{@code
 * AblationDesign design = AblationDesign.defaults(configs, sysuData, regdbData).withSeeds(2);
 * Ablation.PlanCheck check = Ablation.plan(design, out);      // nothing written
 * Path md = Ablation.run(design, out, false, new AblationListener() {
 *   @Override public void onRunStart(AblationPlan.Run run, int i, int n, Duration elapsed) { ... }
 * });
 * }</pre>
 *
 * <p>Every model {@link #run} and {@link #report} build uses the design's kernels
 * ({@link NativeRuntime#allowDirectKernels}); the process's own setting is restored when they return. Errors the
 * user can act on (a design value, a missing config, a plan that differs from {@code plan.json}, a run folder that
 * belongs to another plan) are one-line {@link IbreidException}s.
 */
public final class Ablation {
  /**
   * The plan of a design and how it compares with the folder's {@code plan.json}.
   *
   * @param plan the resolved plan
   * @param planFile {@code OUT/plan.json}
   * @param exists whether {@code planFile} exists
   * @param difference the first difference from {@code planFile} as {@code key: A in plan.json, B now}, or null
   *     when it is the same plan (or there is none)
   * @param estimate the estimated training time of the runs still to do ({@link AblationPlan#estimate()})
   */
  public record PlanCheck(AblationPlan plan, Path planFile, boolean exists, String difference, String estimate) {
    /** Whether {@code plan.json} exists and holds this plan. */
    public boolean matches() {
      return exists && difference == null;
    }
  }

  final AblationDesign design;
  final Path out;
  final AblationListener listener;
  final AblationPlan plan;
  final Map<String, JsonNode> fingerprints = new LinkedHashMap<>();
  private final Path planFile;
  ObjectNode planJson;
  private String difference;

  private Ablation(AblationDesign design, Path out, AblationListener listener) {
    if (design == null || out == null || listener == null) {
      throw new IllegalArgumentException("design, out and listener must not be null");
    }
    // before anything is read or generated
    if (!design.kernels().equals("libnd4j") && !design.kernels().equals("onednn")) {
      throw new IbreidException("--kernels " + design.kernels() + ": expected libnd4j or onednn");
    }
    this.design = design;
    this.out = out;
    this.listener = listener;
    this.plan = design.v3() == null ? AblationPlan.build(design.settings(), out, design::configFile)
        : AblationPlanV3.build(design.settings(), design.v3(), design.corrData().toAbsolutePath().normalize(), out,
            design::configFile);
    this.planFile = out.resolve(AblationPlan.FILE);
  }

  /**
   * Fingerprints the data, builds the plan's JSON, tells the listener, compares with the plan file.
   *
   * @param movedDataAllowed a data set whose fingerprint is the plan file's may be at another path, and one that is
   *     absent stands for the plan file's (report-only: a report reads the runs' files, not the images)
   */
  private void fix(boolean movedDataAllowed) throws IOException {
    if (plan.runs.stream().anyMatch(r -> r.data().equals("sysu"))) {
      fingerprints.put("sysu", AblationPlan.fingerprint(plan.settings.sysuData()));
    }
    if (plan.runs.stream().anyMatch(r -> r.data().equals("regdb"))) {
      fingerprints.put("regdb", AblationPlan.fingerprint(plan.settings.regdbData()));
    }
    if (plan.runs.stream().anyMatch(r -> r.data().equals("corr"))) {
      fingerprints.put("corr", AblationPlan.fingerprint(plan.corrData));
    }
    listener.onPlan(plan);
    JsonNode read = Files.isRegularFile(planFile)
        ? AblationPlan.read(planFile, "restore it, or start a new plan with --new-plan") : null;
    if (movedDataAllowed && read != null) {
      // a report reads the runs' files, never the images: a lab that is absent here (a copy of a finished ablation
      // on another machine) stands for the one the plan fingerprinted
      for (Map.Entry<String, JsonNode> e : fingerprints.entrySet()) {
        JsonNode recorded = read.path(e.getKey()).path("fingerprint");
        if (e.getValue().path("missing").asBoolean(false) && recorded.isObject()
            && !recorded.path("missing").asBoolean(false)) {
          e.setValue(recorded);
        }
      }
    }
    planJson = plan.toJson(fingerprints);
    if (read != null) {
      try {
        JsonNode was = AblationPlan.upgrade(read);
        difference = AblationPlan.firstDifference(movedDataAllowed ? AblationPlan.relocated(was, planJson) : was,
            planJson);
      } catch (RuntimeException e) {
        throw new IbreidException(planFile + " does not hold an ablation plan (" + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")) + "); restore "
            + "it, or start a new plan with --new-plan", e);
      }
    }
  }

  /**
   * The plan of {@code design} for the folder {@code out}, compared with its {@code plan.json}, and the estimated
   * training time; reads the data sets' fingerprints and the folder, writes and trains nothing.
   */
  public static PlanCheck plan(AblationDesign design, Path out) throws IOException {
    return plan(design, out, new AblationListener() {});
  }

  /** As {@link #plan(AblationDesign, Path)}, telling {@code listener} the plan first. */
  public static PlanCheck plan(AblationDesign design, Path out, AblationListener listener) throws IOException {
    Ablation a = new Ablation(design, out, listener);
    a.fix(false);
    boolean exists = Files.isRegularFile(a.planFile);
    return new PlanCheck(a.plan, a.planFile, exists, a.difference, a.plan.estimate());
  }

  /**
   * Runs the ablation in {@code out}: generates a missing synthetic data set, writes {@code plan.json} (or checks
   * the existing one), trains and evaluates every run without {@code metrics.json} (resuming interrupted ones),
   * probes, and rewrites the report after every run and probe.
   *
   * @param replacePlan replace a {@code plan.json} written for another design (runs whose config changed are moved
   *     aside to {@code DIR.superseded-N}, unchanged ones are reused); false: such a plan is an error
   * @return {@code OUT/ablation.md}
   * @throws IbreidException when {@code plan.json} differs and {@code replacePlan} is false, naming the first
   *     difference, or when a run's folder belongs to another plan
   */
  public static Path run(AblationDesign design, Path out, boolean replacePlan, AblationListener listener)
      throws IOException {
    Ablation a = new Ablation(design, out, listener);
    boolean before = NativeRuntime.directKernelsAllowed();
    try {
      return a.runAll(replacePlan);
    } finally {
      NativeRuntime.allowDirectKernels(before);
    }
  }

  /**
   * Rewrites {@code ablation.md}, {@code ablation.json}, {@code probe.json} and the plots from the runs and probes
   * already in {@code out}; trains nothing. The design must be the plan's, except that a data set may be read from
   * another folder when its fingerprint is the one the plan recorded, or be absent (a copy of a finished ablation,
   * reported on another machine: the report reads the runs' files, never the images). The report keeps the date of
   * the {@code ablation.json} it replaces.
   *
   * @return {@code OUT/ablation.md}
   * @throws IbreidException when {@code out} has no {@code plan.json} or it was written for another design
   */
  public static Path report(AblationDesign design, Path out, AblationListener listener) throws IOException {
    Ablation a = new Ablation(design, out, listener);
    boolean before = NativeRuntime.directKernelsAllowed();
    try {
      a.fix(true);
      a.refuseOtherPlan(true);
      a.pinKernels();
      if (!Files.isRegularFile(a.planFile)) {
        throw new IbreidException("--report-only: no " + a.planFile + " (nothing has run in " + out + ")");
      }
      a.report(a.reportDate());
      return out.resolve("ablation.md");
    } finally {
      NativeRuntime.allowDirectKernels(before);
    }
  }

  /**
   * The date a rewritten report keeps: the one in the {@code ablation.json} it replaces (report-only trains nothing,
   * so the results are those of that date, and the rewrite is the same file on any day); today when there is none.
   */
  private String reportDate() {
    Path json = out.resolve("ablation.json");
    if (Files.isRegularFile(json)) {
      try {
        String d = new ObjectMapper().readTree(json.toFile()).path("date").asText("");
        LocalDate.parse(d);
        return d;
      } catch (IOException | DateTimeException unreadable) {
        // a damaged or foreign ablation.json: the report gets today's date (and the file is rewritten)
      }
    }
    return LocalDate.now().toString();
  }

  private void refuseOtherPlan(boolean reportOnly) {
    if (difference != null) {
      throw new IbreidException(planFile + " was written for another plan (" + difference + "); " + (reportOnly
          ? "--report-only needs the options it was run with" : "run with the same options, or add --new-plan to "
          + "replace it"));
    }
  }

  /** Every model built from here on (training, evaluation, probes) uses the plan's kernels. */
  private void pinKernels() {
    NativeRuntime.allowDirectKernels(design.kernels().equals("onednn"));
  }

  private Path runAll(boolean replacePlan) throws IOException {
    if (plan.v3 != null) {
      return new AblationThird(this).run(replacePlan);
    }
    ensureData();
    fix(false);
    if (!replacePlan) {
      refuseOtherPlan(false);
    }
    pinKernels();
    writePlanFile();
    long t0 = System.nanoTime();
    int n = 0;
    List<AblationPlan.Run> order = new ArrayList<>(plan.group("sysu"));
    order.addAll(plan.group("regdb"));
    order.addAll(plan.group("zdim"));
    boolean probed = false;
    for (AblationPlan.Run r : order) {
      if (!probed && !r.group().equals("sysu")) {
        probeAll();
        probed = true;
      }
      n++;
      listener.onRunStart(r, n, order.size(), Duration.ofNanos(System.nanoTime() - t0));
      runOne(r, plan.entry(r, fingerprints), replacePlan);
      report();
      // ND4J frees a finished run's native buffers only when their Java owners are collected (resident memory grew
      // past 11 GB over 36 runs without this)
      System.gc();
    }
    if (!probed) {
      probeAll();
    }
    Path md = report();
    listener.onFinish(Duration.ofNanos(System.nanoTime() - t0), md);
    return md;
  }

  /** Writes plan.json when it is new or replaced (tells the listener either way). */
  void writePlanFile() throws IOException {
    Files.createDirectories(out);
    if (difference != null || !Files.isRegularFile(planFile)) {
      AtomicFiles.writeString(planFile, AblationPlan.JSON.writeValueAsString(planJson) + "\n");
      listener.onPlanFile(planFile, difference == null ? AblationListener.PlanFile.WRITTEN
          : AblationListener.PlanFile.REPLACED);
    } else {
      listener.onPlanFile(planFile, AblationListener.PlanFile.RESUMED);
    }
  }

  /** Fingerprints the data, checks the plan file (refusing another plan unless {@code replacePlan}), pins kernels. */
  void settle(boolean replacePlan) throws IOException {
    ensureData();
    fix(false);
    if (!replacePlan) {
      refuseOtherPlan(false);
    }
    pinKernels();
  }

  /** Generates a missing synthetic data set (SYSU lab, RegDB lab) before the plan records its fingerprint. */
  void ensureData() {
    for (String group : List.of("sysu", "zdim", "regdb", "pilot", "corr")) {
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
  void runOne(AblationPlan.Run r, ObjectNode entry, boolean replacePlan) throws IOException {
    Path dir = r.dir();
    Path guard = dir.resolve(AblationPlan.RUN_FILE);
    boolean started = Files.isDirectory(dir) && (Files.exists(dir.resolve("metrics.json"))
        || Files.exists(dir.resolve("config.yaml")) || Files.exists(dir.resolve("checkpoints")));
    if (started) {
      String why = null;
      if (!Files.isRegularFile(guard)) {
        why = "it holds a run not made by a plan (no " + AblationPlan.RUN_FILE + ")";
      } else {
        String d = AblationPlan.firstDifference(AblationPlan.read(guard, "move the run away"), entry);
        if (d != null) {
          why = "its run was planned differently (" + d.replace(" in plan.json", " there") + ")";
        }
      }
      if (why != null) {
        if (!replacePlan) {
          throw new IbreidException(dir + ": " + why + "; move it away or start with --new-plan");
        }
        Path aside = dir.resolveSibling(dir.getFileName() + ".superseded-1");
        for (int k = 2; Files.exists(aside); k++) {
          aside = dir.resolveSibling(dir.getFileName() + ".superseded-" + k);
        }
        Files.move(dir, aside);
        listener.onRunMovedAside(r, why, aside);
      }
    }
    Path metrics = dir.resolve("metrics.json");
    if (Files.isRegularFile(metrics)) {
      listener.onRunReused(r, metrics);
      return;
    }
    Files.createDirectories(dir);
    if (!Files.isRegularFile(guard)) {
      AtomicFiles.writeString(guard, AblationPlan.JSON.writeValueAsString(entry) + "\n");
    }
    RunConfig cfg = r.config();
    boolean resume = !new Checkpoints(dir.resolve("checkpoints"), cfg.checkpoint.keep).list().isEmpty();
    train(r, cfg, dir, resume);
    TrainedRun trained = TrainedRun.open(dir, "best");
    // the primary feature and every evaluation.featureSets entry, on the same test images, queries and galleries
    List<RunEvaluation.SetResults> sets = TrainedRunEvaluation.sets(trained, null, null, null, "both", 1,
        plan.settings.sysuTrials(), false, null);
    listener.onRunEvaluated(r, sets);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("run", dir.toString());
    extra.put("checkpoint", trained.checkpoint().getFileName().toString());
    String json = RunEvaluation.setsJson(sets, extra);
    if (plan.v3 != null) {
      // the third design: the best validation score (the pilot's rule reads it) and the per-step terms, small
      java.util.Optional<Map<String, Object>> best = new Checkpoints(dir.resolve("checkpoints"),
          cfg.checkpoint.keep).best();
      if (best.isPresent()) {
        ObjectNode m = (ObjectNode) new ObjectMapper().readTree(json);
        m.set("validation", new ObjectMapper().valueToTree(best.get()));
        json = new ObjectMapper().writeValueAsString(m) + "\n";
      }
      RunTerms.write(dir, cfg);
    }
    AtomicFiles.writeString(metrics, json);
  }

  void train(AblationPlan.Run r, RunConfig cfg, Path dir, boolean resume) {
    TrainerListener progress = listener.training(r);
    TrainOptions options = TrainOptions.defaults().withResume(resume);
    if (progress != null) {
      options = options.withListener(progress);
    }
    try {
      Ibreid.train(cfg, dir, options);
    } finally {
      if (progress instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IbreidException("cannot close the progress listener of " + dir + ": " + e.getMessage(), e);
        }
      }
    }
  }

  private void probeAll() throws IOException {
    if (!design.probes()) {
      return;
    }
    for (AblationPlan.Run r : plan.group("sysu")) {
      if (r.seed() != AblationDefaults.PROBE_SEED || !Files.isRegularFile(r.dir().resolve("metrics.json"))) {
        continue;
      }
      boolean done = Files.isRegularFile(r.dir().resolve(AblationProbe.FILE));
      listener.onProbe(r, done);
      AblationProbe.probe(r.variant(), r.dir(), Math.max(1, design.probeThreads()));
      report();
    }
  }

  Path report() throws IOException {
    return report(LocalDate.now().toString());
  }

  /** Writes the report dated {@code date} (ISO). */
  private Path report(String date) throws IOException {
    if (plan.v3 != null) {
      AblationReportV3.of(plan, fingerprints, date).write(out);
    } else {
      AblationReport.of(plan, fingerprints, date).write(out);
    }
    Path md = out.resolve("ablation.md");
    listener.onReport(md);
    return md;
  }
}
