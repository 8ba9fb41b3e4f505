package io.ibreid.cli;

import io.ibreid.ablation.Ablation;
import io.ibreid.ablation.AblationDefaults;
import io.ibreid.ablation.AblationDesign;
import io.ibreid.ablation.AblationListener;
import io.ibreid.ablation.AblationPlan;
import io.ibreid.ablation.AblationV3;
import io.ibreid.core.IbreidException;
import io.ibreid.core.train.TrainerListener;
import io.ibreid.eval.run.RunEvaluation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibreid ablation}: the paper's comparisons as a fixed design, run by the library's {@link Ablation} (plan
 * first, then the SYSU table, probes, RegDB table and z-dim sweep, a report after every run; resumable). This
 * command turns its options into an {@link AblationDesign} (defaults: {@link AblationDefaults}; configs and data
 * under the ibreid folder, {@link DemoCommand#home()}) and prints the library's progress.
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

  @Option(names = "--design", paramLabel = "v2|v3", description = "Which committed design: v2 (the second ablation, "
      + "docs/ablation-v2; the options below shape it) or v3 (the third, docs/ablation-v3/design.md: fixed blocks, "
      + "pilot, sequential rule; only --iterations, --epochs, --trials, --data, --regdb-data, --corr-data, "
      + "--no-probes, --probe-threads, --set and --kernels apply; the other design flags are refused). Default: the "
      + "version in DIR/plan.json when it exists, else v3.")
  String designVersion;

  @Option(names = "--corr-data", paramLabel = "DIR", description = "v3: the correlated lab (default: "
      + AblationV3.CORR_DATA + ", generated there if missing).")
  Path corrData;

  @Option(names = "--pilot-only", description = "v3: train the pilot only (the runs that fix the two beta values), "
      + "then report.")
  boolean pilotOnly;

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
      + "the runs and probes already in DIR (the plan must match; a lab that is absent stands for the one the plan "
      + "fingerprinted, so a copy of a finished ablation needs no data); train nothing. The report keeps the date "
      + "of the ablation.json it replaces.")
  boolean reportOnly;

  @Option(names = "--new-plan", description = "Replace an existing plan.json that differs (runs whose config "
      + "changed are moved aside to DIR.superseded-N, unchanged ones are reused).")
  boolean newPlan;

  @Option(names = "--probe-threads", description = "Probes fitted at the same time (default: "
      + AblationDefaults.PROBE_THREADS + ").")
  int probeThreads = AblationDefaults.PROBE_THREADS;

  @Option(names = "--quiet", description = "No progress bars.")
  boolean quiet;

  @Option(names = "--kernels", paramLabel = "libnd4j|onednn", description = "The fast encoder's convolution and "
      + "batch-norm kernels for every run: libnd4j (default; what the committed run used, so a rerun reproduces its "
      + "tables bit for bit) or onednn (oneDNN called directly: a faster step, other float rounding). Recorded in "
      + "the plan.")
  String kernels = AblationDefaults.KERNELS;

  /** The design flags that shape only the second design; the third refuses them rather than ignore them. */
  static final List<String> V2_ONLY = List.of("--seeds", "--variants", "--zdim-variant", "--zdims", "--zdim-seeds",
      "--regdb-variants", "--regdb-seeds", "--regdb-trials");

  /** The design the options describe: v2's shaped by the options, or v3's with the options that apply to it. */
  AblationDesign design() throws IOException {
    String version = designVersion;
    if (version == null) {
      Path plan = out.resolve(AblationPlan.FILE);
      version = "v3";
      if (Files.isRegularFile(plan)) {
        version = "v2";
        try {
          if (new com.fasterxml.jackson.databind.ObjectMapper().readTree(plan.toFile()).path("version").asInt()
              == AblationV3.VERSION) {
            version = "v3";
          }
        } catch (com.fasterxml.jackson.core.JacksonException unreadable) {
          // not a plan at all: the v2 reader says so in one line naming the file
        }
      }
    }
    if (!version.equals("v2") && !version.equals("v3")) {
      throw new IbreidException("--design " + version + ": expected v2 or v3");
    }
    if (pilotOnly && version.equals("v2")) {
      throw new IbreidException("--pilot-only applies to --design v3");
    }
    if (version.equals("v3")) {
      for (String v2Only : V2_ONLY) {
        if (spec != null && spec.commandLine().getParseResult().hasMatchedOption(v2Only)) {
          throw new IbreidException(v2Only + " applies to --design v2 only; the third design's blocks, seeds and "
              + "trials are fixed (docs/ablation-v3/design.md)");
        }
      }
      Path home = DemoCommand.home();
      AblationDesign d = AblationDesign.third(home.resolve("configs"),
          data == null ? home.resolve(AblationDefaults.SYSU_DATA) : data,
          regdbData == null ? home.resolve(AblationDefaults.REGDB_DATA) : regdbData,
          corrData == null ? home.resolve(AblationV3.CORR_DATA) : corrData,
          AblationV3.REUSE.stream().map(home::resolve).toList())
          .withBudget(iterations, epochs).withSysuTrials(trials).withProbes(!noProbes, probeThreads)
          .withOverrides(overrides).withKernels(kernels);
      return pilotOnly ? d.withStopAfter(AblationV3.PILOT) : d;
    }
    List<String> regdb = regdbVariants.size() == 1 && (regdbVariants.get(0).equals("none")
        || regdbVariants.get(0).isEmpty()) ? List.of() : List.copyOf(regdbVariants);
    Path home = DemoCommand.home();
    Path regdbRoot = regdbData == null ? home.resolve(AblationDefaults.REGDB_DATA) : regdbData;
    return AblationDesign.defaults(home.resolve("configs"),
            data == null ? home.resolve(AblationDefaults.SYSU_DATA) : data, regdbRoot)
        .withVariants(variants).withSeeds(seeds).withBudget(iterations, epochs).withSysuTrials(trials)
        .withZdimSweep(zdimVariant, zdims, zdimSeeds).withRegdb(regdb, regdbSeeds, regdbTrials, regdbRoot)
        .withProbes(!noProbes, probeThreads).withOverrides(overrides).withKernels(kernels);
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter console = spec.commandLine().getOut();
    Bounds.check("--trials", trials, 1, Bounds.MAX_TRIALS);
    Bounds.check("--seeds", seeds, 1, Bounds.MAX_SEEDS);
    Bounds.check("--regdb-seeds", regdbSeeds, 0, Bounds.MAX_SEEDS);
    Bounds.check("--zdim-seeds", zdimSeeds, 0, Bounds.MAX_SEEDS);
    Bounds.check("--iterations", iterations, 1, Bounds.MAX_ITERATIONS);
    Bounds.check("--epochs", epochs, 1, Bounds.MAX_ITERATIONS);
    Bounds.check("--probe-threads", probeThreads, 1, Bounds.MAX_THREADS);
    AblationDesign design = design();
    if (planOnly) {
      Ablation.PlanCheck check = Ablation.plan(design, out, new Progress(console, spec.commandLine().getErr()));
      Path planFile = check.planFile();
      console.println(check.exists() ? (check.difference() == null ? planFile + ": the same plan"
          : planFile + " differs: " + check.difference()) : "no " + planFile + " yet");
      console.println(check.estimate());
      console.flush();
      return 0;
    }
    if (reportOnly) {
      Path md = Ablation.report(design, out, new Progress(console, spec.commandLine().getErr()));
      console.println("rewrote the report of the runs on disk: " + md);
      console.flush();
      return 0;
    }
    Path md = Ablation.run(design, out, newPlan, new Progress(console, spec.commandLine().getErr()));
    console.print(Files.readString(md));
    console.flush();
    return 0;
  }

  /** The library's progress as the command's lines (and a progress bar per training unless --quiet). */
  private final class Progress implements AblationListener {
    private final PrintWriter console;
    private final PrintWriter err;

    Progress(PrintWriter console, PrintWriter err) {
      this.console = console;
      this.err = err;
    }

    @Override
    public void onPlan(AblationPlan plan) {
      console.print(plan.summary());
      console.flush();
    }

    @Override
    public void onPlanFile(Path planFile, PlanFile state) {
      console.println(switch (state) {
        case WRITTEN -> "wrote " + planFile;
        case REPLACED -> "replaced (--new-plan) " + planFile;
        case RESUMED -> "resuming the plan in " + planFile;
      });
      console.flush();
    }

    @Override
    public void onRunStart(AblationPlan.Run run, int index, int count, Duration elapsed) {
      console.printf("[%d/%d] %s (%.0f min so far)%n", index, count, run.describe(), elapsed.toNanos() / 60e9);
      console.flush();
    }

    @Override
    public void onRunMovedAside(AblationPlan.Run run, String why, Path aside) {
      console.println("      " + why + ": moved to " + aside);
    }

    @Override
    public void onRunReused(AblationPlan.Run run, Path metrics) {
      console.println("      already evaluated: " + metrics);
    }

    @Override
    public TrainerListener training(AblationPlan.Run run) {
      return new ProgressListener(quiet);
    }

    @Override
    public void onRunEvaluated(AblationPlan.Run run, List<RunEvaluation.SetResults> results) {
      console.print(RunEvaluation.tables(results));
      console.flush();
      EvalCommand.warn(err, results.get(0).results());
    }

    @Override
    public void onProbe(AblationPlan.Run run, boolean reused) {
      console.printf("probe %s seed %d%s%n", run.variant(), run.seed(), reused ? ": already probed" : "");
      console.flush();
    }

    @Override
    public void onFinish(Duration elapsed, Path markdown) {
      console.printf("ablation done in %.0f min; %s%n", elapsed.toNanos() / 60e9, markdown);
    }
  }
}
