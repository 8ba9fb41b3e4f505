package io.ibreid.cli;

import io.ibreid.Embedder;
import io.ibreid.Gallery;
import io.ibreid.core.IbreidException;
import io.ibreid.index.GalleryIndex;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibreid index}: embeds gallery images with a trained run into a Lucene HNSW index, or adds to / deletes from
 * an existing one (docs/deployment.md).
 */
@Command(name = "index", description = "Build or extend a gallery index (Lucene HNSW) of a run's features: "
    + "images not in the index yet are embedded in batches and committed batch by batch, so an interrupted build "
    + "continues when run again. --delete removes images instead.")
final class IndexCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "Run directory (ibreid train --out).")
  Path run;

  @Option(names = "--checkpoint", defaultValue = "best", description = "best, last or a checkpoint folder "
      + "(default: best).")
  String checkpoint;

  static final class Source {
    @Option(names = "--images", paramLabel = "DIR", description = "Every JPG/PNG/BMP under DIR (SYSU-MM01's "
        + "camN/NNNN/ layout gives camera and identity; Thermal/infrared folders mean infrared).")
    Path images;

    @Option(names = "--list", paramLabel = "FILE", description = "CSV of path[,identity[,camera[,modality[,"
        + "epoch ms]]]] (ibreid extract's path,pid,camid CSV is one).")
    Path list;

    @Option(names = "--delete", paramLabel = "FILE", description = "Remove the images a list or folder names "
        + "(a CSV or text file of paths, or a folder) from the index.")
    Path delete;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--out", required = true, paramLabel = "INDEX", description = "Index folder (created if new).")
  Path out;

  @Option(names = "--batch", defaultValue = "64", description = "Images embedded and committed together "
      + "(default: 64).")
  int batch;

  @Option(names = "--hnsw-m", defaultValue = "16", description = "HNSW links per node of a new index (default 16).")
  int m;

  @Option(names = "--hnsw-ef-construction", defaultValue = "100", description = "HNSW beam width while building a "
      + "new index (default 100).")
  int efConstruction;

  @Option(names = "--quantise", description = "Store a new index's vectors scalar-quantised to 7 bits for the "
      + "graph search (raw floats are kept for exact search).")
  boolean quantise;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter console = spec.commandLine().getOut();
    Embedder embedder = Embedder.open(run, checkpoint);
    if (source.delete != null) {
      List<Path> paths = java.nio.file.Files.isDirectory(source.delete)
          ? Gallery.scan(source.delete).stream().map(Gallery.Image::path).toList()
          : Gallery.readPaths(source.delete);
      int n = Gallery.delete(embedder, out, paths);
      console.printf("deleted %d of %d listed images from %s%n", n, paths.size(), out);
      console.flush();
      return 0;
    }
    List<Gallery.Image> images = source.images != null ? Gallery.scan(source.images) : Gallery.readList(source.list);
    GalleryIndex.Options options = new GalleryIndex.Options(m, efConstruction, quantise);
    if (batch < 1) {
      throw new IbreidException("--batch must be at least 1, got " + batch);
    }
    Gallery.Built built;
    try (ProgressBar bar = quiet ? null : bar(images.size())) {
      built = Gallery.index(embedder, out, images, options, batch, done -> {
        if (bar != null) {
          bar.stepTo(done);
        }
      });
    }
    console.printf("index %s: %d images added, %d already there, %d in total (run fingerprint %s)%n", out,
        built.added(), built.skipped(), built.total(), embedder.fingerprint());
    console.flush();
    return 0;
  }

  private static ProgressBar bar(int total) {
    ProgressBarBuilder b = new ProgressBarBuilder().setTaskName("index").setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed().setMaxRenderedLength(120);
    if (!ProgressLines.stderrIsTerminal()) {
      b.setConsumer(new DelegatingProgressBarConsumer(new ProgressLines(System.err), 120));
    }
    return b.build();
  }
}
