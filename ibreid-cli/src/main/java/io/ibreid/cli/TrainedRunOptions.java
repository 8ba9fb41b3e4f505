package io.ibreid.cli;

import io.ibreid.data.CrossModalSource;
import io.ibreid.data.DataSources;
import io.ibreid.core.run.TrainedRun;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that name a trained run, its checkpoint and the data it is applied to (by default the data it was
 * trained on), shared by {@code eval}, {@code extract} and {@code probe} as a picocli mixin.
 */
final class TrainedRunOptions {
  @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "Run directory (ibreid train --out).")
  Path run;

  @Option(names = "--checkpoint", defaultValue = "best", description = "best (validation), last, or a checkpoint "
      + "folder name (default: best, falling back to last).")
  String checkpoint;

  @Option(names = "--dataset", paramLabel = "TYPE", description = "sysu, regdb, synthetic-sysu or synthetic-regdb "
      + "(default: the run's data.type).")
  String dataset;

  @Option(names = "--root", paramLabel = "DIR", description = "Data set root (default: the run's data.root).")
  Path root;

  @Option(names = "--trial", description = "RegDB trial 1..10 (default: the run's).")
  Integer trial;

  /** The run at the chosen checkpoint. */
  TrainedRun open() {
    return TrainedRun.open(run, checkpoint);
  }

  /** The data set these options name, defaults from the run's config. */
  CrossModalSource data(TrainedRun trained) {
    return DataSources.open(trained.config(), dataset, root, trial);
  }

  /** The data set type: --dataset, or the run's. */
  String datasetType(TrainedRun trained) {
    return DataSources.type(trained.config(), dataset);
  }
}
