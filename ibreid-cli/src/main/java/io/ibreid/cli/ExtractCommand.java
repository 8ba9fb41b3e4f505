package io.ibreid.cli;

import io.ibreid.core.IbreidException;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.data.CrossModalSource;
import io.ibreid.data.ImageRecord;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.features.MetadataCsv;
import io.ibreid.eval.features.Npy;
import io.ibreid.eval.run.ModelFeatures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ibreid extract}: writes a run's test-time features as .npy (float32) plus a path,pid,camid CSV. */
@Command(name = "extract", description = "Extract features of a split with a trained run: F.npy (rows = images, "
    + "float32) and F.csv (path,pid,camid), the format eval-features reads.")
final class ExtractCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin
  TrainedRunOptions runOptions;

  @Option(names = "--out", required = true, paramLabel = "F.npy", description = "Feature file; metadata goes to "
      + "the same name with .csv.")
  Path out;

  @Option(names = "--split", defaultValue = "test", description = "test, holdout or train (default: test).")
  String split;

  @Option(names = "--modality", defaultValue = "all", description = "all, visible or infrared (default: all).")
  String modality;

  @Override
  public Integer call() throws IOException {
    String name = out.getFileName().toString();
    if (!name.endsWith(".npy")) {
      throw new IbreidException("--out " + out + " must end with .npy");
    }
    Path csv = out.resolveSibling(name.substring(0, name.length() - 4) + ".csv");
    OutputFolder.requireFile(out, "--out");
    OutputFolder.requireFile(csv, "--out");
    TrainedRun trained = runOptions.open();
    CrossModalSource source = runOptions.data(trained);
    List<ImageRecord> records = switch (split) {
      case "test" -> source.testRecords();
      case "holdout" -> source.holdout();
      case "train" -> source.train().records();
      default -> throw new IbreidException("--split must be one of [test, holdout, train], got [" + split + "]");
    };
    records = switch (modality) {
      case "all" -> records;
      case "visible", "infrared" -> records.stream().filter(r -> r.modality().label().equals(modality)).toList();
      default -> throw new IbreidException("--modality must be one of [all, visible, infrared], got [" + modality
          + "]");
    };
    if (records.isEmpty()) {
      throw new IbreidException("the " + split + " split of " + source.root() + " has no " + modality + " images");
    }
    ModelFeatures features = new ModelFeatures(trained.model(), trained.config().evaluation,
        new TrainingImageLoader(), 64);
    FeatureMatrix f = features.extract(records);
    List<ImageMeta> meta = records.stream().map(r -> new ImageMeta(r.path().toString(), r.pid(), r.camera()))
        .toList();
    boolean had = java.nio.file.Files.exists(out);
    Npy.write(out, f);
    try {
      MetadataCsv.write(csv, meta);
    } catch (IOException | RuntimeException e) {
      if (!had) {
        java.nio.file.Files.deleteIfExists(out); // a feature file without its metadata is no output
      }
      throw e;
    }
    PrintWriter console = spec.commandLine().getOut();
    console.printf("wrote %d x %d features to %s and their metadata to %s%n", f.rows(), f.dim(), out, csv);
    console.flush();
    return 0;
  }
}
