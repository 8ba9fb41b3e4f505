package io.ibreid.data.regdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.data.Fixtures;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.synthetic.SyntheticGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegDbTest {
  @TempDir
  Path dir;

  /** Persons 1..4, 2 images per modality; trial 2: persons 1,2 train (labels 0,1), 3,4 test (labels 0,1). */
  private Path fixture() {
    Path root = dir.resolve("RegDB");
    for (int p = 1; p <= 4; p++) {
      for (int k = 1; k <= 2; k++) {
        Fixtures.write(root.resolve("Visible/" + p + "/v" + k + ".bmp"), 16, 8, p * 10 + k);
        Fixtures.write(root.resolve("Thermal/" + p + "/t" + k + ".bmp"), 16, 8, 100 + p * 10 + k);
      }
    }
    Fixtures.text(root.resolve("idx/train_visible_2.txt"), lines("Visible", "v", 1, 2));
    Fixtures.text(root.resolve("idx/train_thermal_2.txt"), lines("Thermal", "t", 1, 2));
    Fixtures.text(root.resolve("idx/test_visible_2.txt"), lines("Visible", "v", 3, 4));
    Fixtures.text(root.resolve("idx/test_thermal_2.txt"), lines("Thermal", "t", 3, 4));
    return root;
  }

  private static String lines(String folder, String prefix, int a, int b) {
    StringBuilder sb = new StringBuilder();
    for (int p = a; p <= b; p++) {
      for (int k = 1; k <= 2; k++) {
        sb.append(folder).append('/').append(p).append('/').append(prefix).append(k).append(".bmp ").append(p - a)
            .append('\n');
      }
    }
    return sb.toString();
  }

  private static RegDb open(Path root) {
    return RegDb.open(root, RegDb.Options.trial(2));
  }

  private IbreidException failure(Path root) {
    return catchThrowableOfType(IbreidException.class, () -> open(root));
  }

  @Test
  void readsTheTrialsListsWithLabelsCamerasAndModalities() {
    Path root = fixture();
    RegDb r = open(root);
    assertThat(r.trial()).isEqualTo(2);
    assertThat(r.train().numClasses()).isEqualTo(2);
    assertThat(r.train().records()).hasSize(8);
    assertThat(r.train().count(View.VISIBLE)).isEqualTo(4);
    ImageRecord first = r.train().records().get(0);
    assertThat(first.path()).isEqualTo(root.toAbsolutePath().resolve("Visible/1/v1.bmp"));
    assertThat(first.pid()).isZero();
    assertThat(first.camera()).isEqualTo(RegDb.VISIBLE_CAMERA);
    assertThat(r.train().records()).filteredOn(x -> x.modality() == View.INFRARED)
        .allMatch(x -> x.camera() == RegDb.THERMAL_CAMERA && x.path().toString().contains("Thermal"));
    assertThat(r.testVisible()).hasSize(4).allMatch(x -> x.modality() == View.VISIBLE);
    assertThat(r.testThermal()).hasSize(4).allMatch(x -> x.modality() == View.INFRARED);
    assertThat(r.testIds()).containsExactly(0, 1);
    // train and test share no image
    Set<Path> train = new HashSet<>();
    r.train().records().forEach(x -> train.add(x.path()));
    assertThat(r.testRecords()).noneMatch(x -> train.contains(x.path()));
  }

  @Test
  void holdoutComesFromTheTrainingLabels() {
    RegDb r = RegDb.open(fixture(), new RegDb.Options(2, 1, 1, false, 1));
    assertThat(r.train().numClasses()).isEqualTo(1);
    assertThat(r.holdoutIds()).hasSize(1);
    assertThat(r.holdout()).hasSize(4).allMatch(x -> r.holdoutIds().contains(x.pid()));
  }

  @Test
  void readsEveryTrialOfAGeneratedSet() {
    Path root = dir.resolve("gen");
    SyntheticGenerator.generate(SyntheticGenerator.Spec.of(SyntheticGenerator.Layout.REGDB, 5, 3, 32, 16, 2, 1, 4),
        root, 2);
    Set<Set<Integer>> splits = new HashSet<>();
    for (int t = 1; t <= RegDb.TRIALS; t++) {
      RegDb r = RegDb.open(root, RegDb.Options.trial(t));
      assertThat(r.train().numClasses()).isEqualTo(5);
      assertThat(r.testIds()).hasSize(3);
      assertThat(r.train().records()).hasSize(5 * 2 * 2);
      assertThat(r.testVisible()).hasSize(6);
      Set<Integer> persons = new HashSet<>();
      r.train().records().forEach(x -> persons.add(Integer.parseInt(x.path().getParent().getFileName().toString())));
      splits.add(persons);
    }
    assertThat(splits.size()).isGreaterThan(1); // trials draw different splits
  }

  @Test
  void missingRoot() {
    Path root = dir.resolve("absent");
    assertThat(Fixtures.oneLineNaming(failure(root), root)).contains("does not exist");
  }

  @Test
  void trialOutOfRange() {
    IbreidException e = catchThrowableOfType(IbreidException.class,
        () -> RegDb.open(fixture(), RegDb.Options.trial(11)));
    assertThat(e.getMessage()).contains("trial 11").contains("1..10").doesNotContain("\n");
  }

  @Test
  void missingIndexFile() {
    Path root = fixture();
    Path f = root.resolve("idx/test_thermal_2.txt");
    f.toFile().delete();
    assertThat(Fixtures.oneLineNaming(failure(root), f)).contains("does not exist").contains("relative/path label");
    // a trial with no lists at all
    IbreidException e = catchThrowableOfType(IbreidException.class, () -> RegDb.open(root, RegDb.Options.trial(1)));
    Fixtures.oneLineNaming(e, root.resolve("idx/train_visible_1.txt"));
  }

  @Test
  void malformedLine() {
    Path root = fixture();
    Path f = root.resolve("idx/train_visible_2.txt");
    Fixtures.text(f, "Visible/1/v1.bmp 0\nVisible/1/v2.bmp zero\n");
    assertThat(Fixtures.oneLineNaming(failure(root), f)).contains("line 2").contains("'Visible/1/v2.bmp zero'");
  }

  @Test
  void listedImageThatDoesNotExist() {
    Path root = fixture();
    Path f = root.resolve("idx/train_thermal_2.txt");
    Fixtures.text(f, lines("Thermal", "t", 1, 2) + "Thermal/9/t1.bmp 1\n");
    String m = Fixtures.oneLineNaming(failure(root), f);
    assertThat(m).contains("line 5").contains("Thermal/9/t1.bmp").contains("does not exist");
  }

  @Test
  void listedNonImageFile() {
    Path root = fixture();
    Fixtures.text(root.resolve("Visible/1/readme.txt"), "x");
    Path f = root.resolve("idx/train_visible_2.txt");
    Fixtures.text(f, lines("Visible", "v", 1, 2) + "Visible/1/readme.txt 0\n");
    assertThat(Fixtures.oneLineNaming(failure(root), f)).contains("readme.txt").contains("not an image");
  }

  @Test
  void emptyIndexFile() {
    Path root = fixture();
    Path f = root.resolve("idx/test_visible_2.txt");
    Fixtures.text(f, "\n");
    assertThat(Fixtures.oneLineNaming(failure(root), f)).contains("lists no image");
  }

  @Test
  void zeroByteAndCorruptImages() throws Exception {
    Path root = fixture();
    Path img = root.resolve("Thermal/2/t1.bmp");
    Files.write(img, new byte[0]);
    assertThat(Fixtures.oneLineNaming(failure(root), img)).contains("0 bytes");
    Fixtures.text(img, "garbage that is not a bitmap");
    assertThat(Fixtures.oneLineNaming(failure(root), img)).contains("not a JPG, PNG or BMP image");
    // skipping corrupt images on request
    RegDb r = RegDb.open(root, new RegDb.Options(2, 0, 1, true, 2));
    assertThat(r.train().records()).hasSize(7).noneMatch(x -> x.path().endsWith("Thermal/2/t1.bmp"));
  }

  @Test
  void trainingLabelMissingAModality() {
    Path root = fixture();
    Path f = root.resolve("idx/train_thermal_2.txt");
    Fixtures.text(f, lines("Thermal", "t", 1, 1));
    assertThat(Fixtures.oneLineNaming(failure(root), f)).contains("training label 1");
  }

  @Test
  void imageListedForTrainingAndTesting() {
    Path root = fixture();
    Path f = root.resolve("idx/test_visible_2.txt");
    Fixtures.text(f, lines("Visible", "v", 3, 4) + "Visible/1/v1.bmp 1\n");
    assertThat(Fixtures.oneLineNaming(failure(root), "Visible/1/v1.bmp")).contains("disjoint");
  }

  @Test
  void pathEscapingTheRoot() {
    Path root = fixture();
    Path f = root.resolve("idx/train_visible_2.txt");
    Fixtures.text(f, "../elsewhere/x.bmp 0\n");
    assertThat(Fixtures.oneLineNaming(failure(root), f)).contains("outside the root");
  }
}
