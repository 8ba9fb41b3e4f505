package com.example.reid;

import io.ibreid.Embedder;
import io.ibreid.Ibreid;
import io.ibreid.TrainOptions;
import io.ibreid.TrainResult;
import io.ibreid.core.branch.View;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.natives.NativeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The story: train a small shared-branch model with our loss next to cross-entropy for a few steps on a synthetic
 * SYSU-MM01-layout set (generated on first use), then embed an infrared and a visible image and compare them.
 * Usage: {@code TrainAndEmbed WORK_DIR}.
 */
public final class TrainAndEmbed {
  /** What one run of the story produced. */
  public record Outcome(TrainResult training, float[] infrared, float[] visible, double cosine) {}

  private TrainAndEmbed() {}

  public static void main(String[] args) throws IOException {
    NativeRuntime.load(); // ND4J's native build for this CPU, loaded before this program starts any thread
    Outcome o = run(Path.of(args.length > 0 ? args[0] : "work"));
    System.out.printf("%d steps, last loss %.3f; features of %d columns, cosine %.3f%n",
        o.training().summary().iterations(), o.training().summary().last().loss(), o.infrared().length, o.cosine());
  }

  public static Outcome run(Path work) throws IOException {
    Path yaml = work.resolve("config.yaml");
    Files.createDirectories(work);
    Files.writeString(yaml, """
        name: consumer
        data:
          type: synthetic-sysu
          root: %s
          workers: 1
          params: {ids: 8, testIds: 4, height: 32, width: 16, images: 2, cameraPresence: 1.0}
        input: {height: 32, width: 16}
        sampler: {identities: 4, instances: 2}
        branches:
          shared:
            encoder: {type: small-resnet, params: {width: 8, stages: [1], observationSize: 16}}
            bottleneck: {type: mlp, params: {dim: 8, hidden: []}}
        losses:
          - {type: ce, branch: shared}
          - {type: cosine-agreement, branch: shared, weight: 0.5}
        schedule: {epochs: 1, batchesPerEpoch: 4}
        """.formatted(work.resolve("data")));
    RunConfig config = Ibreid.config(yaml);
    TrainResult result = Ibreid.train(config, work.resolve("run"), TrainOptions.defaults());

    Embedder embedder = Embedder.open(result.runDirectory());
    Path infraredImage = firstImage(work.resolve("data/cam3"));
    Path visibleImage = firstImage(work.resolve("data/cam1"));
    float[] ir = embedder.embed(infraredImage, View.INFRARED);
    float[] rgb = embedder.embed(visibleImage, View.VISIBLE);
    return new Outcome(result, ir, rgb, Embedder.cosine(ir, rgb));
  }

  private static Path firstImage(Path camera) throws IOException {
    try (Stream<Path> files = Files.walk(camera)) {
      return files.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst()
          .orElseThrow(() -> new IOException("no image under " + camera));
    }
  }
}
