package io.ibreid.cli;

import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.natives.NativeChoice;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.run.Checkpoints;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.core.train.TrainingSummary;
import io.ibreid.eval.run.RunEvaluation;
import io.ibreid.eval.run.TrainedRunEvaluation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibreid demo}: the main job. Generates the synthetic SYSU-MM01-layout data set if it is missing, trains the
 * full method (three branches; VSD on the modality branches, VCD + VML on the shared one) on CPU with a validation
 * split choosing the checkpoint, and evaluates it with the SYSU-MM01 protocol (all-search and indoor, single-shot,
 * 10 trials). Running it again resumes an interrupted run, or re-evaluates a finished one.
 */
@Command(name = "demo", description = "Generate the synthetic data set, train the full method on CPU, evaluate "
    + "with the SYSU-MM01 protocol and print the table.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run directory (default: runs/demo).")
  Path out;

  @Option(names = "--data", paramLabel = "DIR", description = "Synthetic data set root (default: data/lab-sysu "
      + "under the ibreid folder).")
  Path data;

  @Option(names = "--config", paramLabel = "FILE", description = "Config (default: configs/demo.yaml).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--trials", defaultValue = "10", description = "SYSU random galleries (default: 10).")
  int trials;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  static Path home() {
    return Path.of(System.getProperty("ibreid.home", "."));
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter console = spec.commandLine().getOut();
    Path run = out == null ? home().resolve("runs/demo") : out;
    Path cfgFile = config == null ? home().resolve("configs/demo.yaml") : config;
    List<String> all = new ArrayList<>();
    all.add("data.root=" + (data == null ? home().resolve("data/lab-sysu") : data));
    all.addAll(overrides);
    RunConfig cfg = ConfigLoader.load(cfgFile, all);
    long t0 = System.nanoTime();
    boolean resume = !new Checkpoints(run.resolve("checkpoints"), cfg.checkpoint.keep).list().isEmpty();
    console.printf("ibreid demo: config %s, data %s, run %s%n", cfgFile, cfg.data.root, run);
    if (!Files.isDirectory(Path.of(cfg.data.root))) {
      console.printf("[1/3] generating the synthetic SYSU-MM01-layout data set into %s%n", cfg.data.root);
    } else {
      console.printf("[1/3] data set found at %s%n", cfg.data.root);
    }
    console.printf("[2/3] %s the %s configuration (%s)%n", resume ? "resuming" : "training", cfg.name,
        String.join(", ", cfg.branches.keySet()) + " branches");
    NativeChoice nativeBuild = NativeRuntime.select();
    String machine = NativeRuntime.cpu().model() + ", " + Runtime.getRuntime().availableProcessors() + " cores, native build "
        + nativeBuild.build().id();
    console.printf("      %s (%s)%n", machine, nativeBuild.reason());
    console.flush();
    TrainingSummary s = TrainCommand.train(cfg, run, io.ibreid.TrainOptions.defaults().withResume(resume), quiet);
    long t1 = System.nanoTime();
    console.printf("      %d iterations in %.0f s (%.1f img/s); checkpoint %s%n", s.iterations(), s.seconds(),
        s.imagesPerSecond(), s.checkpoint() == null ? "-" : s.checkpoint().getFileName());
    console.printf("[3/3] evaluating with the SYSU-MM01 protocol (%d trials)%n", trials);
    console.flush();
    TrainedRun trained = TrainedRun.open(run, "best");
    List<RunEvaluation.Result> results = TrainedRunEvaluation.primary(trained, null, null, null, "both", 1, trials,
        false, null);
    long t2 = System.nanoTime();
    String table = RunEvaluation.table(results);
    console.println();
    console.print(table);
    console.flush();
    EvalCommand.warn(spec.commandLine().getErr(), results);
    console.printf("%ncheckpoint %s; training %.1f min, evaluation %.1f min, total %.1f min%n",
        trained.checkpoint().getFileName(), (t1 - t0) / 60e9, (t2 - t1) / 60e9, (t2 - t0) / 60e9);
    console.flush();
    AtomicFiles.writeString(run.resolve("metrics.json"), RunEvaluation.json(results, Map.of("run", run.toString(),
        "checkpoint", trained.checkpoint().getFileName().toString())));
    AtomicFiles.writeString(run.resolve("demo-results.md"), "ibreid demo, " + LocalDate.now() + ", config "
        + cfgFile.getFileName() + ", checkpoint " + trained.checkpoint().getFileName() + "; " + machine
        + String.format(java.util.Locale.ROOT, "; training %.1f min, total %.1f min", (t1 - t0) / 60e9,
            (t2 - t0) / 60e9) + "\n\n```\n" + table + "```\n");
    return 0;
  }
}
