package io.ibreid.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.data.Fixtures;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.image.FloatImage;
import io.ibreid.data.image.ImageFiles;
import io.ibreid.data.image.Pixels;
import io.ibreid.data.regdb.RegDb;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.synthetic.SyntheticGenerator.Spec;
import io.ibreid.data.sysu.SysuMm01;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticGeneratorTest {
  @TempDir
  Path dir;

  private static Spec tiny(Layout layout, long seed) {
    return Spec.of(layout, 6, 3, 32, 16, 2, 0.75, seed);
  }

  /** Relative path -> bytes of every file under {@code root}. */
  private static Map<String, byte[]> files(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  @Test
  void theDefaultsAreWhatAConfigGeneratesSoOneDataSetHasOneFingerprint() {
    // `ibreid synth` starts from Spec.defaults, a synthetic-sysu / synthetic-regdb config from its data.params
    // defaults; both write Spec.describe() into synthetic.txt, which the ablation's fingerprint hashes
    for (Layout layout : Layout.values()) {
      assertThat(new io.ibreid.data.training.SyntheticDataset.Params().spec(layout).describe())
          .as(layout.label()).isEqualTo(Spec.defaults(layout).describe());
    }
  }

  @Test
  void sameSeedGivesByteIdenticalFilesWhateverTheThreads() throws IOException {
    for (Layout layout : Layout.values()) {
      Path a = dir.resolve(layout.label() + "-a");
      Path b = dir.resolve(layout.label() + "-b");
      Path c = dir.resolve(layout.label() + "-c");
      SyntheticGenerator.generate(tiny(layout, 42), a, 1);
      SyntheticGenerator.generate(tiny(layout, 42), b, 3);
      SyntheticGenerator.generate(tiny(layout, 43), c, 2);
      Map<String, byte[]> fa = files(a);
      Map<String, byte[]> fb = files(b);
      assertThat(fa.keySet()).isEqualTo(fb.keySet());
      fa.forEach((k, v) -> assertThat(fb.get(k)).as(k).isEqualTo(v));
      Map<String, byte[]> fc = files(c);
      long differing = fa.keySet().stream().filter(k -> fc.containsKey(k) && !java.util.Arrays.equals(fa.get(k),
          fc.get(k))).count();
      assertThat(differing).as("another seed draws other images").isGreaterThan(fa.size() / 2);
    }
  }

  @Test
  void sysuLayoutHasTheRealStructure() throws IOException {
    Path root = dir.resolve("s");
    SyntheticGenerator.Summary sum = SyntheticGenerator.generate(tiny(Layout.SYSU, 1), root, 2);
    assertThat(root.resolve("exp/train_id.txt")).isRegularFile();
    assertThat(root.resolve("exp/val_id.txt")).isRegularFile();
    assertThat(Files.readString(root.resolve("exp/test_id.txt")).strip()).matches("\\d+(,\\d+)*");
    for (int c = 1; c <= 6; c++) {
      assertThat(root.resolve("cam" + c)).isDirectory();
    }
    SysuMm01 s = SysuMm01.open(root, SysuMm01.Options.defaults());
    assertThat(s.train().numClasses()).isEqualTo(6);
    assertThat(s.testIds()).hasSize(3);
    assertThat(s.train().records()).allMatch(r -> r.path().toString().endsWith(".jpg"));
    // every identity has at least one visible and one infrared camera
    for (int pid : s.train().pids()) {
      assertThat(s.train().records()).anyMatch(r -> r.pid() == pid && r.modality() == View.VISIBLE)
          .anyMatch(r -> r.pid() == pid && r.modality() == View.INFRARED);
    }
    assertThat(sum.images()).isEqualTo(s.train().records().size() + s.testRecords().size());
    assertThat(Files.readString(root.resolve(SyntheticGenerator.SPEC_FILE))).isEqualTo(tiny(Layout.SYSU, 1)
        .describe());
    // no partial folder is left next to it
    try (Stream<Path> siblings = Files.list(dir)) {
      assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("s");
    }
  }

  @Test
  void infraredImagesAreGreyInThreeEqualChannels() {
    Path root = dir.resolve("r");
    SyntheticGenerator.generate(tiny(Layout.REGDB, 2), root, 2);
    RegDb r = RegDb.open(root, RegDb.Options.trial(1));
    int coloured = 0;
    for (ImageRecord rec : r.train().records()) {
      FloatImage f = Pixels.toFloat(ImageFiles.decode(rec.path()));
      assertThat(f.height()).isEqualTo(32);
      assertThat(f.width()).isEqualTo(16);
      boolean grey = true;
      int plane = f.height() * f.width();
      for (int i = 0; i < plane; i++) {
        grey &= f.data()[i] == f.data()[plane + i] && f.data()[i] == f.data()[2 * plane + i];
      }
      if (rec.modality() == View.INFRARED) {
        assertThat(grey).as(rec.path().toString()).isTrue();
      } else if (!grey) {
        coloured++;
      }
    }
    assertThat(coloured).isEqualTo(r.train().count(View.VISIBLE));
  }

  @Test
  void sysuInfraredJpgsDecodeToEqualChannels() {
    Path root = dir.resolve("s");
    SyntheticGenerator.generate(tiny(Layout.SYSU, 3), root, 2);
    SysuMm01 s = SysuMm01.open(root, SysuMm01.Options.defaults());
    ImageRecord ir = s.train().records().stream().filter(r -> r.modality() == View.INFRARED).findFirst()
        .orElseThrow();
    FloatImage f = Pixels.toFloat(ImageFiles.decode(ir.path()));
    int plane = f.height() * f.width();
    for (int i = 0; i < plane; i++) {
      assertThat(f.data()[plane + i]).isEqualTo(f.data()[i]);
      assertThat(f.data()[2 * plane + i]).isEqualTo(f.data()[i]);
    }
  }

  @Test
  void refusesANonEmptyOutputAndBadSpecs() {
    Path out = dir.resolve("full");
    Fixtures.text(out.resolve("keep.txt"), "mine");
    IbreidException e = catchThrowableOfType(IbreidException.class,
        () -> SyntheticGenerator.generate(tiny(Layout.SYSU, 1), out, 1));
    assertThat(Fixtures.oneLineNaming(e, out)).contains("not empty");
    assertThat(out.resolve("keep.txt")).hasContent("mine");
    assertThat(catchThrowableOfType(IbreidException.class, () -> Spec.of(Layout.SYSU, 1, 3, 32, 16, 2, 0.75, 1))
        .getMessage()).contains("at least 2 training identities");
    assertThat(catchThrowableOfType(IbreidException.class, () -> Spec.of(Layout.SYSU, 5, 3, 8, 16, 2, 0.75, 1))
        .getMessage()).contains("8x16");
    assertThat(catchThrowableOfType(IbreidException.class, () -> Spec.defaults(Layout.SYSU).withSubset(1))
        .getMessage()).contains("subset 1");
    assertThat(catchThrowableOfType(IbreidException.class, () -> new Difficulty(0.25, 3, 0.2, 8, 0))
        .getMessage()).contains("nuisance 3.0");
  }

  @Test
  void anEmptyFolderIsFilled() throws IOException {
    Path out = Files.createDirectories(dir.resolve("empty"));
    SyntheticGenerator.generate(tiny(Layout.REGDB, 1), out, 1);
    assertThat(RegDb.looksLikeDataset(out)).isTrue();
  }

  /** Each identity gets exactly its visible and infrared images, spread over the cameras it passes. */
  @Test
  void sysuIdentitiesHaveTheirImageCounts() throws IOException {
    Path root = dir.resolve("s");
    Spec spec = Spec.defaults(Layout.SYSU).withIds(8, 4).withSize(32, 16).withImages(7, 3);
    SyntheticGenerator.generate(spec, root, 2);
    SysuMm01 s = SysuMm01.open(root, SysuMm01.Options.defaults());
    java.util.List<ImageRecord> all = new java.util.ArrayList<>(s.train().records());
    all.addAll(s.testRecords());
    Map<Integer, int[]> counts = new TreeMap<>();
    for (ImageRecord r : all) {
      counts.computeIfAbsent(r.pid(), p -> new int[2])[r.modality().ordinal()]++;
    }
    assertThat(counts).hasSize(12);
    counts.forEach((pid, c) -> assertThat(c).as("identity " + pid).containsExactly(7, 3));
    assertThat(Files.readString(root.resolve(SyntheticGenerator.SPEC_FILE))).startsWith("version=2\n")
        .contains("visibleImages=7\n").contains("contrast=0.25\n").contains("subset=0\n");
  }

  /** A subset writes fewer training identities, every test identity, and the full set's bytes for each. */
  @Test
  void aSubsetIsARestrictionOfTheFullSet() throws IOException {
    Spec full = Spec.defaults(Layout.SYSU).withIds(12, 3).withSize(32, 16).withImages(4, 2);
    Path a = dir.resolve("full");
    Path b = dir.resolve("subset");
    SyntheticGenerator.generate(full, a, 2);
    SyntheticGenerator.Summary sum = SyntheticGenerator.generate(full.withSubset(5), b, 2);
    assertThat(sum.trainIds()).isEqualTo(5);
    SysuMm01 small = SysuMm01.open(b, SysuMm01.Options.defaults());
    SysuMm01 big = SysuMm01.open(a, SysuMm01.Options.defaults());
    assertThat(small.train().numClasses()).isEqualTo(5);
    assertThat(small.testIds()).isEqualTo(big.testIds());
    Map<String, byte[]> fa = files(a);
    Map<String, byte[]> fb = files(b);
    int images = 0;
    for (Map.Entry<String, byte[]> e : fb.entrySet()) {
      if (e.getKey().endsWith(".jpg")) {
        images++;
        assertThat(fa.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      }
    }
    assertThat(images).isEqualTo((5 + 3) * 6);
    java.util.List<String> fullRows = Files.readAllLines(a.resolve(FactorFile.NAME));
    for (String row : Files.readAllLines(b.resolve(FactorFile.NAME))) {
      assertThat(fullRows).contains(row);
    }
  }

  /**
   * With correlation 1 every image of a training identity shows its preferred place; test identities' places stay
   * spread over all places.
   */
  @Test
  void correlatedNuisanceTiesTrainingIdentitiesToAPlace() {
    Path root = dir.resolve("c");
    Spec spec = Spec.defaults(Layout.SYSU).withIds(10, 10).withSize(32, 16).withImages(8, 4)
        .withDifficulty(new Difficulty(0.25, 1, 0.2, 8, 1.0));
    SyntheticGenerator.generate(spec, root, 2);
    SysuMm01 s = SysuMm01.open(root, SysuMm01.Options.defaults());
    Map<Integer, java.util.Set<Integer>> places = new TreeMap<>();
    for (FactorFile.Row r : FactorFile.read(root)) {
      places.computeIfAbsent(r.pid(), p -> new java.util.TreeSet<>()).add(r.shot().place());
    }
    for (int pid : s.train().pids()) {
      assertThat(places.get(pid)).as("training identity " + pid).hasSize(1);
    }
    java.util.Set<Integer> testPlaces = new java.util.TreeSet<>();
    for (int pid : s.testIds()) {
      assertThat(places.get(pid).size()).as("test identity " + pid).isGreaterThan(2);
      testPlaces.addAll(places.get(pid));
    }
    assertThat(testPlaces).hasSize(8);
    assertThat(catchThrowableOfType(IbreidException.class, () -> Spec.defaults(Layout.REGDB)
        .withDifficulty(new Difficulty(0.25, 1, 0.2, 8, 0.5))).getMessage()).contains("SYSU layout");
  }

  @Test
  void regdbPairsShareTheirPoseAndPlace() {
    // the visible and thermal image k of a person come from co-located cameras: same geometry (pose, position,
    // place, occluder), their own photometry
    Path root = dir.resolve("r");
    SyntheticGenerator.generate(Spec.of(Layout.REGDB, 2, 1, 64, 32, 3, 1, 9), root, 1);
    Map<String, FactorFile.Row> rows = new TreeMap<>();
    FactorFile.read(root).forEach(r -> rows.put(r.path(), r));
    assertThat(rows).hasSize(3 * 3 * 2);
    for (int pid = 1; pid <= 3; pid++) {
      for (int k = 1; k <= 3; k++) {
        Shot v = rows.get(String.format("Visible/%d/v_%d_%02d.bmp", pid, pid, k)).shot();
        Shot t = rows.get(String.format("Thermal/%d/t_%d_%02d.bmp", pid, pid, k)).shot();
        assertThat(List.of(t.stride(), t.facing(), t.swing(), t.scale(), t.offsetX(), t.offsetY(), t.place(),
            t.pan(), t.occluder(), t.occluderStart())).isEqualTo(List.of(v.stride(), v.facing(), v.swing(),
            v.scale(), v.offsetX(), v.offsetY(), v.place(), v.pan(), v.occluder(), v.occluderStart()));
        assertThat(t.noiseSeed()).isNotEqualTo(v.noiseSeed());
        assertThat(t.castR()).isEqualTo(1.0);
        assertThat(v.thermalOffset()).isEqualTo(0.0);
      }
    }
  }
}
