package io.ibreid.data.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.data.DataContext;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.data.augment.AugmentSettings;
import io.ibreid.data.synthetic.SyntheticGenerator;
import io.ibreid.data.sysu.SysuMm01;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loader throughput at P = 8, K = 4 (32 images per batch) on a synthetic SYSU set of 128×64 JPGs, for the network
 * inputs 64×32 and 128×64, with 0, 1 and 2 loader threads. Not a unit test (it only logs timings): run with
 * {@code -Dibreid.bench=true -Dtest=LoaderThroughputBench}.
 */
@EnabledIfSystemProperty(named = "ibreid.bench", matches = "true")
class LoaderThroughputBench {
  private static final Logger LOG = LoggerFactory.getLogger(LoaderThroughputBench.class);

  @TempDir
  Path dir;

  @Test
  void measure() {
    Path root = dir.resolve("sysu");
    SyntheticGenerator.Summary s = SyntheticGenerator.generate(SyntheticGenerator.Spec.defaults(
        SyntheticGenerator.Layout.SYSU), root, 2);
    LOG.info("generated the default synthetic SYSU set: {} images in {} s", s.images(),
        String.format("%.1f", s.seconds()));
    SysuMm01 data = SysuMm01.open(root, SysuMm01.Options.defaults());
    DatasetParams params = new DatasetParams();
    for (ImageShape shape : new ImageShape[] {ImageShape.rgb(64, 32), ImageShape.rgb(128, 64)}) {
      AugmentSettings augment = params.augmentation(shape.height());
      for (int workers : new int[] {0, 1, 2}) {
        DataContext ctx = new DataContext(root, shape, 8, 4, 1, workers);
        try (CrossModalTrainingSet set = new CrossModalTrainingSet("bench", data.train(), ctx, augment, 0)) {
          int n = Math.min(40, set.batchesPerEpoch());
          drain(set.epoch(5, set.batchesPerEpoch() - n)); // warm-up: JIT, file cache
          long t0 = System.nanoTime();
          int got = drain(set.epoch(0, set.batchesPerEpoch() - n));
          double seconds = (System.nanoTime() - t0) / 1e9;
          assertThat(got).isEqualTo(n);
          LOG.info("input {} workers {}: {} batches of 32 images in {} s = {} batches/s, {} ms per batch", shape,
              workers, n, String.format("%.2f", seconds), String.format("%.1f", n / seconds),
              String.format("%.1f", 1000 * seconds / n));
        }
      }
    }
  }

  private static int drain(Iterator<CrossModalBatch> it) {
    int n = 0;
    while (it.hasNext()) {
      it.next();
      n++;
    }
    return n;
  }
}
