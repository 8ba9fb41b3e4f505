package io.ibreid.cli;

import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.data.CrossModalSource;
import io.ibreid.data.DataSources;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.synthetic.FactorFile;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.probe.FactorTable;
import io.ibreid.eval.probe.LinearProbe;
import io.ibreid.eval.probe.ModelProbe;
import io.ibreid.eval.probe.ProbeReport;
import io.ibreid.eval.probe.Probes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibreid probe}: linear probes of what each of a trained run's features keeps (reid-eval's
 * {@code io.ibreid.eval.probe}); writes probe.md, probe.json and probe.png and prints the table.
 */
@Command(name = "probe", description = "Fit linear probes from each branch's v and z (and the test-time feature) to "
    + "every factor of the data set's factor file, on the test images: held-out accuracy (with chance) or R². "
    + "Writes probe.md, probe.json and probe.png (a heat map).")
final class ProbeCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin
  TrainedRunOptions runOptions;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write probe.md, probe.json and probe.png "
      + "(default: the run directory).")
  Path out;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the fit/score split (default: 1).")
  long seed;

  @Option(names = "--threads", defaultValue = "2", description = "Probes fitted at the same time (default: 2; the "
      + "numbers do not depend on it).")
  int threads;

  @Option(names = "--all-images", description = "Feed every test image to every branch (default: each branch gets "
      + "the modalities it sees in training).")
  boolean allImages;

  @Override
  public Integer call() throws IOException {
    PrintWriter console = spec.commandLine().getOut();
    Bounds.check("--threads", threads, 1, Bounds.MAX_THREADS);
    Path dir = out == null ? runOptions.run : out;
    OutputFolder folder = OutputFolder.open(dir, out == null ? "--run" : "--out", "probe.json", "probe.png",
        "probe.md");
    TrainedRun trained = runOptions.open();
    String type = runOptions.datasetType(trained);
    CrossModalSource source = runOptions.data(trained);
    Path run = runOptions.run;
    List<ImageRecord> images = DataSources.testImages(source);
    FactorTable table;
    if (FactorFile.exists(source.root())) {
      table = FactorTable.fromFactorFile(images, source.root(), !DataSources.isRegdb(type));
    } else {
      table = FactorTable.fromLayout(images);
      console.printf("no factor file at %s: probing identity, modality and camera only (what the layout gives)%n",
          source.root().resolve(FactorFile.NAME));
    }
    long ids = images.stream().map(ImageRecord::pid).distinct().count();
    console.printf("probing %s (checkpoint %s) on %d test images of %d identities%n", run,
        trained.checkpoint().getFileName(), images.size(), ids);
    console.flush();
    List<Probes.Feature> features = ModelProbe.features(trained.model(), trained.config().evaluation, table,
        new TrainingImageLoader(), List.of("v", "z"), allImages);
    Probes.Result result = Probes.run(features, table, seed, new LinearProbe(), threads);
    ProbeReport.Context context = new ProbeReport.Context(run.toString(), trained.checkpoint().getFileName()
        .toString(), source.root().toString(), images.size(), (int) ids, table.fromFactorFile());
    String md = ProbeReport.markdown(result, context);
    String json = ProbeReport.json(result, context);
    byte[] png = ProbeReport.heatMap(result, "Linear probes, " + run.getFileName() + " (" + trained.checkpoint()
        .getFileName() + ")");
    try (folder) {
      AtomicFiles.writeString(dir.resolve("probe.json"), json);
      AtomicFiles.write(dir.resolve("probe.png"), png);
      AtomicFiles.writeString(dir.resolve("probe.md"), md);
      folder.commit();
    }
    console.print(md);
    console.printf("%nwrote %s, probe.json and probe.png%n", dir.resolve("probe.md"));
    console.flush();
    return 0;
  }
}
