package io.ibreid.cli;

import io.ibreid.eval.embedding.TsnePictures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibreid tsne}: the paper's feature-space pictures, drawn by ibreid-analysis's {@link TsnePictures} (which
 * checks the options against the run and its data); this command translates its flags and prints the progress.
 */
@Command(name = "tsne", description = "2-D t-SNE pictures of a trained run's features: tsne-identity.png (colour = "
    + "identity, marker = modality), tsne-modality.png, tsne.csv (path,pid,camid,modality,x,y) and tsne.json "
    + "(neighbour agreement in 2-D and in feature space).")
final class TsneCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "Run directory (ibreid train --out).")
  Path run;

  @Option(names = "--branch", required = true, description = "visible, infrared or shared.")
  String branch;

  @Option(names = "--feature", required = true, description = "Branch output: v (observation) or z "
      + "(representation).")
  String feature;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--split", defaultValue = "test", description = "test or holdout (default: test).")
  String split;

  @Option(names = "--ids", defaultValue = "10", paramLabel = "N", description = "Identities to show (default: 10).")
  int ids;

  @Option(names = "--per-id", defaultValue = "20", paramLabel = "M", description = "At most M images per identity "
      + "and modality (default: 20).")
  int perId;

  @Option(names = "--perplexity", defaultValue = "30", paramLabel = "P", description = "t-SNE perplexity; needs at "
      + "least 3P + 1 images (default: 30).")
  double perplexity;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the selection and of t-SNE (default: 0).")
  long seed;

  @Option(names = "--iterations", defaultValue = "1000", description = "t-SNE iterations (default: 1000).")
  int iterations;

  @Option(names = "--theta", paramLabel = "T", description = "0 = exact t-SNE, > 0 = Barnes-Hut with this accuracy "
      + "(default: 0 up to " + TsnePictures.EXACT_DEFAULT_UP_TO + " images, 0.5 above).")
  Double theta;

  @Option(names = "--k", defaultValue = "10", description = "Neighbours counted in the summary (default: 10).")
  int k;

  @Option(names = "--distance", defaultValue = "cosine", description = "Feature distance: cosine or euclidean "
      + "(default: cosine, as the evaluation).")
  String distance;

  @Option(names = "--checkpoint", defaultValue = "best", description = "best, last or a checkpoint folder name.")
  String checkpoint;

  @Option(names = "--root", paramLabel = "DIR", description = "Data set root (default: the run's data.root).")
  Path root;

  @Override
  public Integer call() throws IOException {
    PrintWriter console = spec.commandLine().getOut();
    Bounds.check("--ids", ids, 1, Bounds.MAX_IDS);
    Bounds.check("--per-id", perId, 1, Bounds.MAX_PER_ID);
    Bounds.check("--iterations", iterations, 1, Bounds.MAX_TSNE_ITERATIONS);
    Bounds.check("--k", k, 1, Bounds.MAX_IDS * Bounds.MAX_PER_ID);
    OutputFolder folder = OutputFolder.open(out, "--out", "tsne-identity.png", "tsne-modality.png", "tsne.csv",
        "tsne.json");
    TsnePictures pictures = TsnePictures.prepare(run, branch, feature, new TsnePictures.Options(split, ids, perId,
        perplexity, seed, iterations, theta, k, distance, checkpoint, root));
    int n = pictures.images().size();
    long visible = pictures.visible();
    console.printf("extracting %s of %d images (%d identities, %d visible, %d infrared) with %s%n", pictures.what(),
        n, ids, visible, n - visible, pictures.checkpoint());
    console.flush();
    TsnePictures.Pictures drawn = pictures.draw();
    try (folder) {
      drawn.write(out);
      folder.commit();
    }
    console.println(drawn.summary());
    console.printf("wrote tsne-identity.png, tsne-modality.png, tsne.csv and tsne.json to %s (%s t-SNE %.1f s)%n",
        out, drawn.exact() ? "exact" : "Barnes-Hut", drawn.seconds());
    console.flush();
    return 0;
  }
}
