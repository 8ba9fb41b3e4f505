package io.ibreid.examples;

import io.ibreid.Embedder;
import io.ibreid.TrainResult;
import io.ibreid.core.branch.View;
import io.ibreid.core.config.RunConfig;
import io.ibreid.data.DataSources;
import io.ibreid.data.ImageRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains {@code configs/full.yaml}: the full method, VSD on both modality-specific branches, VCD + VML on the shared
 * branch; then embeds an infrared test image and two visible ones (same person, another person) and prints their
 * cosine similarities ({@link Examples}: how to run it, its arguments).
 */
public final class FullExample {
  private FullExample() {}

  public static void main(String[] args) {
    Examples.run("full", args, a -> {
      TrainResult result = Examples.train(a);
      Embedder embedder = Embedder.open(result.runDirectory());
      RunConfig config = embedder.config();
      List<ImageRecord> test = DataSources.open(config.data.type, Path.of(config.data.root), config.data.params, 1)
          .testRecords();
      ImageRecord query = test.stream().filter(r -> r.modality() == View.INFRARED).findFirst().orElseThrow();
      ImageRecord same = test.stream().filter(r -> r.modality() == View.VISIBLE && r.pid() == query.pid())
          .findFirst().orElseThrow();
      ImageRecord other = test.stream().filter(r -> r.modality() == View.VISIBLE && r.pid() != query.pid())
          .findFirst().orElseThrow();
      float[] q = embedder.embed(query.path(), View.INFRARED);
      System.out.printf("cosine(infrared %d, visible %d) = %.3f; cosine(infrared %d, visible %d) = %.3f%n",
          query.pid(), same.pid(), Embedder.cosine(q, embedder.embed(same.path(), View.VISIBLE)),
          query.pid(), other.pid(), Embedder.cosine(q, embedder.embed(other.path(), View.VISIBLE)));
    });
  }
}
