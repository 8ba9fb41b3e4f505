package io.ibreid.eval.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.branch.View;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.synthetic.SyntheticGenerator;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.sysu.SysuMm01;
import io.ibreid.eval.features.FeatureMatrix;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes on a generated set's factor table with features whose answer is known: a feature made of one factor plus
 * noise predicts that factor (near perfectly) and not the others; a random feature predicts nothing.
 */
class ProbesTest {
  private static final Logger LOG = LoggerFactory.getLogger(ProbesTest.class);

  @TempDir
  static Path dir;
  static FactorTable table;

  @BeforeAll
  static void generate() {
    Path root = dir.resolve("lab");
    SyntheticGenerator.generate(SyntheticGenerator.Spec.defaults(Layout.SYSU).withIds(4, 24).withSize(32, 16)
        .withImages(8, 4), root, 2);
    SysuMm01 data = SysuMm01.open(root, SysuMm01.Options.defaults());
    table = FactorTable.fromFactorFile(data.testRecords(), root, true);
  }

  private static FactorTable.Column column(String name) {
    return table.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  /** 12 columns of noise; the first columns carry {@code column}'s value (one-hot or real) where it applies. */
  private static FeatureMatrix features(FactorTable.Column column, long seed) {
    Random r = new Random(seed);
    int n = table.images().size();
    float[][] x = new float[n][12];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 12; j++) {
        x[i][j] = (float) r.nextGaussian();
      }
      if (column != null && column.applies(i)) {
        if (column.categorical()) {
          for (int j = 0; j < Math.min(12, column.classes().size()); j++) {
            x[i][j] = 0.05f * x[i][j] + (column.labels()[i] == j ? 1 : 0);
          }
        } else {
          for (int j = 0; j < column.values()[i].length; j++) {
            x[i][j] = 0.001f * x[i][j] + (float) column.values()[i][j];
          }
        }
      }
    }
    return FeatureMatrix.of(x);
  }

  @Test
  void aFeatureMadeOfAFactorPredictsThatFactorAndARandomOneNothing() {
    List<View> both = List.of(View.VISIBLE, View.INFRARED);
    List<Probes.Feature> features = List.of(
        new Probes.Feature("build", both, features(column("build"), 1)),
        new Probes.Feature("scale", both, features(column("scale"), 2)),
        new Probes.Feature("upper colour", both, features(column("upper colour"), 3)),
        new Probes.Feature("random", both, features(null, 4)));
    long t0 = System.nanoTime();
    Probes.Result r = Probes.run(features, table, 1, new LinearProbe());
    LOG.info("{} probes in {} s", features.size() * table.columns().size(), String.format("%.1f",
        (System.nanoTime() - t0) / 1e9));
    Map<String, LinearProbe.Score> build = r.scores().get("build");
    assertThat(build.get("build").value()).isGreaterThan(0.95);
    assertThat(r.scores().get("scale").get("scale").value()).isGreaterThan(0.95);
    assertThat(r.scores().get("upper colour").get("upper colour").value()).isGreaterThan(0.95);
    // colour is seen in visible images only: the colour feature's infrared images are noise, and not probed for it
    assertThat(r.scores().get("upper colour").get("upper colour").scoredImages()).isEqualTo(
        (int) table.images().stream().filter(i -> i.modality() == View.VISIBLE).count() / 2);
    for (Map.Entry<String, LinearProbe.Score> e : r.scores().get("random").entrySet()) {
      LinearProbe.Score s = e.getValue();
      assertThat(s.normalised()).as("random feature, " + e.getKey()).isLessThan(0.25);
    }
    // the build feature says nothing of the nuisance
    assertThat(build.get("scale").value()).isLessThan(0.1);
    assertThat(build.get("background").normalised()).isLessThan(0.25);
    Probes.Result again = Probes.run(features, table, 1, new LinearProbe(), 3);
    assertThat(again.scores()).as("three threads give what one gave").isEqualTo(r.scores());
  }

  @Test
  void splitsKeepIdentitiesApartExceptForTheIdentityFactor() {
    List<ImageRecord> images = table.images();
    int[] all = new int[images.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    boolean[] byId = ProbeSplit.byIdentity(images, all, 1, 0.5);
    java.util.Map<Integer, java.util.Set<Boolean>> sides = new java.util.TreeMap<>();
    for (int i = 0; i < all.length; i++) {
      sides.computeIfAbsent(images.get(i).pid(), p -> new java.util.HashSet<>()).add(byId[i]);
    }
    assertThat(sides.values()).allMatch(s -> s.size() == 1);
    assertThat(sides.values().stream().filter(s -> s.contains(true)).count()).isEqualTo(12);
    boolean[] within = ProbeSplit.withinIdentity(images, all, 1, 0.5);
    java.util.Map<String, int[]> counts = new java.util.TreeMap<>();
    for (int i = 0; i < all.length; i++) {
      counts.computeIfAbsent(images.get(i).pid() + images.get(i).modality().label(), k -> new int[2])[within[i]
          ? 0 : 1]++;
    }
    // 8 visible and 4 infrared images per identity: 4 + 2 fitted, 4 + 2 scored
    assertThat(counts.values()).allMatch(c -> c[0] == c[1]);
    assertThat(ProbeSplit.byIdentity(images, all, 1, 0.5)).isEqualTo(byId);
  }
}
