package io.ibreid.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.train.Trainer;
import io.ibreid.core.train.TrainingModule;
import io.ibreid.core.train.TrainingSummary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ibreid train}: trains a configuration into a run directory, or resumes one. */
@Command(name = "train", description = "Train a configuration; write config, log, metrics and checkpoints to --out.")
final class TrainCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config (default with --resume: RUN_DIR/config.yaml).")
  Path config;

  @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "Run directory.")
  Path out;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key, e.g. schedule.epochs=2.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--resume", description = "Continue from the newest valid checkpoint in RUN_DIR.")
  boolean resume;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter console = spec.commandLine().getOut();
    TrainingSummary s = train(loadConfig(config, out, resume, overrides), out, resume, quiet, console);
    console.printf("trained %d iterations in %.0f s (%.1f img/s, %.0f%% of the time waiting for data); "
            + "last checkpoint %s%n", s.iterations(), s.seconds(), s.imagesPerSecond(), 100 * s.dataWaitFraction(),
        s.checkpoint());
    console.flush();
    return 0;
  }

  /** The config for a run: --config, or the run's own resolved config when resuming. */
  static RunConfig loadConfig(Path config, Path out, boolean resume, List<String> overrides) {
    Path file = config;
    if (file == null) {
      if (!resume) {
        throw new IbreidException("train needs --config FILE (or --resume to continue " + out + ")");
      }
      file = out.resolve("config.yaml");
      if (!Files.isRegularFile(file)) {
        throw new IbreidException("cannot resume: " + file + " does not exist (is " + out + " a run directory?)");
      }
    }
    return ConfigLoader.load(file, overrides);
  }

  /** Trains with a progress bar on the console and the log in RUN_DIR/train.log. */
  static TrainingSummary train(RunConfig config, Path out, boolean resume, boolean quiet, PrintWriter console) {
    boolean fresh = !Files.exists(out);
    RunLogging.toFile(out.resolve("train.log"));
    Injector injector;
    Trainer trainer;
    try {
      injector = Guice.createInjector(new TrainingModule(config, out),
          new io.ibreid.eval.run.ValidationModule(config));
      trainer = injector.getInstance(Trainer.class);
    } catch (RuntimeException e) {
      // A config the plug-ins reject (unknown name, an output no branch produces, ...) fails here, before any
      // work: leave no run directory behind for a run that never started.
      if (fresh) {
        RunLogging.discard(out.resolve("train.log"));
      }
      throw e;
    }
    try (TrainingSet data = injector.getInstance(TrainingSet.class);
        ProgressListener progress = new ProgressListener(quiet)) {
      return trainer.train(resume, progress);
    }
  }
}
