package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.features.MetadataCsv;
import io.ibreid.eval.features.Npy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@code eval-features} and {@code eval} many times through {@code bin/ibreid} and fails on any run that does
 * not finish within a generous limit: the class-initialisation / native-library lock cycle that hung 13 of 20
 * eval-features runs on an AVX2 machine shows up only as a hang. Every run must also print the same metrics.
 *
 * <p>Run counts: {@code -Dibreid.stress.evalFeatures} (default 50) and {@code -Dibreid.stress.eval} (default 8; an
 * eval run loads ND4J and takes ~3 s, so the documented stress command raises it to 50:
 * {@code mvn -B verify -pl ibreid-cli -am -Dit.test=StartupStressIT -Dibreid.stress.eval=50 -Dsurefire.skip=true}).
 */
class StartupStressIT {
  static final long LIMIT_SECONDS = 60;

  @TempDir
  Path dir;

  @Test
  void evalFeaturesFinishesEveryRun() throws Exception {
    Random rnd = new Random(7);
    int dim = 64;
    float[][] q = new float[600][dim];
    float[][] g = new float[250][dim];
    List<ImageMeta> qm = new ArrayList<>();
    List<ImageMeta> gm = new ArrayList<>();
    for (int i = 0; i < q.length; i++) {
      qm.add(new ImageMeta("q" + i + ".jpg", i % 25, i % 2 == 0 ? 3 : 6));
      fill(rnd, q[i], i % 25);
    }
    for (int j = 0; j < g.length; j++) {
      gm.add(new ImageMeta("g" + j + ".jpg", j % 25, new int[] {1, 2, 4, 5}[j % 4]));
      fill(rnd, g[j], j % 25);
    }
    Npy.write(dir.resolve("q.npy"), FeatureMatrix.of(q));
    Npy.write(dir.resolve("g.npy"), FeatureMatrix.of(g));
    MetadataCsv.write(dir.resolve("q.csv"), qm);
    MetadataCsv.write(dir.resolve("g.csv"), gm);
    int runs = Integer.getInteger("ibreid.stress.evalFeatures", 50);
    String first = null;
    for (int i = 0; i < runs; i++) {
      Launcher.Run r = Launcher.run(dir, Map.of(), LIMIT_SECONDS, "eval-features", "--protocol", "sysu",
          "--query", dir.resolve("q.npy").toString(), "--query-meta", dir.resolve("q.csv").toString(),
          "--gallery", dir.resolve("g.npy").toString(), "--gallery-meta", dir.resolve("g.csv").toString());
      assertThat(r.timedOut()).as("run %d of %d: %s", i + 1, runs, r.describe()).isFalse();
      assertThat(r.status()).as("run %d of %d: %s", i + 1, runs, r.describe()).isZero();
      first = first == null ? r.out() : first;
      assertThat(r.out()).as("run %d", i + 1).isEqualTo(first);
    }
    assertThat(first).startsWith("{\"rank1\": ");
  }

  @Test
  void evalFinishesEveryRun() throws Exception {
    TinyRun tiny = TinyRun.train(dir, "stress", 1);
    int runs = Integer.getInteger("ibreid.stress.eval", 8);
    String first = null;
    for (int i = 0; i < runs; i++) {
      Path json = dir.resolve("m" + i + ".json");
      Launcher.Run r = Launcher.run(dir, Map.of("IBREID_JAVA_OPTS", "-Xmx1g"), LIMIT_SECONDS, "eval", "--run",
          tiny.run().toString(), "--trials", "2", "--json", json.toString());
      assertThat(r.timedOut()).as("run %d of %d: %s", i + 1, runs, r.describe()).isFalse();
      assertThat(r.status()).as("run %d of %d: %s", i + 1, runs, r.describe()).isZero();
      String metrics = java.nio.file.Files.readString(json);
      first = first == null ? metrics : first;
      assertThat(metrics).as("run %d", i + 1).isEqualTo(first);
    }
  }

  private static void fill(Random rnd, float[] row, int pid) {
    for (int c = 0; c < row.length; c++) {
      row[c] = (float) rnd.nextGaussian() + (c == pid ? 1.5f : 0f);
    }
  }
}
