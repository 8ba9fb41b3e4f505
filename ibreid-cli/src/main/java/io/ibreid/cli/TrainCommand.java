package io.ibreid.cli;

import io.ibreid.Ibreid;
import io.ibreid.TrainOptions;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.RunConfig;
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

  @Option(names = "--overwrite", description = "RUN_DIR holds a run: move it aside to RUN_DIR.replaced-N (nothing is "
      + "deleted) and train a new one there. Without it (or --resume) a directory holding another run, or "
      + "checkpoints of this one, is refused.")
  boolean overwrite;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter console = spec.commandLine().getOut();
    if (resume && overwrite) {
      throw new IbreidException("--resume and --overwrite exclude each other: --resume continues the run in " + out
          + ", --overwrite moves it aside and starts a new one");
    }
    TrainingSummary s = train(loadConfig(config, out, resume, overrides), out, TrainOptions.defaults()
        .withResume(resume).withOverwrite(overwrite), quiet);
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
    return Ibreid.config(file, overrides);
  }

  /** Trains through the library facade ({@link Ibreid#train}) with a progress bar on the console. */
  static TrainingSummary train(RunConfig config, Path out, TrainOptions options, boolean quiet) {
    try (ProgressListener progress = new ProgressListener(quiet)) {
      return Ibreid.train(config, out, options.withListener(progress)).summary();
    }
  }
}
