package io.ibreid.data.sysu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.data.Fixtures;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.synthetic.SyntheticGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysuMm01Test {
  @TempDir
  Path dir;

  /** {@link Fixtures#smallSysu}: train ids 3, 7; val id 12; test ids 20, 21 (cameras as it lists them). */
  private Path fixture() {
    return Fixtures.smallSysu(dir.resolve("SYSU"));
  }

  private static SysuMm01 open(Path root) {
    return SysuMm01.open(root, SysuMm01.Options.defaults());
  }

  private IbreidException failure(Path root) {
    return catchThrowableOfType(IbreidException.class, () -> open(root).testRecords());
  }

  @Test
  void readsTrainAndValIdsRelabelledWithCameraAndModality() {
    Path root = fixture();
    SysuMm01 s = open(root);
    assertThat(s.train().numClasses()).isEqualTo(3);
    assertThat(s.train().pids()).containsExactly(3, 7, 12);
    assertThat(s.train().label(3)).isZero();
    assertThat(s.train().label(12)).isEqualTo(2);
    assertThat(s.train().pid(1)).isEqualTo(7);
    // (2 + 3 + 2 cameras) x 2 images
    assertThat(s.train().records()).hasSize(14);
    ImageRecord first = s.train().records().get(0);
    assertThat(first.path()).isEqualTo(root.resolve("cam1/0003/0001.jpg"));
    assertThat(first.pid()).isEqualTo(3);
    assertThat(first.camera()).isEqualTo(1);
    assertThat(first.modality()).isEqualTo(View.VISIBLE);
    for (ImageRecord r : s.train().records()) {
      assertThat(r.modality()).isEqualTo(SysuMm01.modalityOf(r.camera()));
      assertThat(r.path().getParent().getFileName().toString()).isEqualTo(String.format("%04d", r.pid()));
      assertThat(r.path().getParent().getParent().getFileName().toString()).isEqualTo("cam" + r.camera());
    }
    assertThat(s.train().count(View.INFRARED)).isEqualTo(8);
    assertThat(s.holdout()).isEmpty();
  }

  @Test
  void testRecordsCoverEveryCameraOfTheTestIds() {
    SysuMm01 s = open(fixture());
    List<ImageRecord> test = s.testRecords();
    assertThat(test).hasSize((6 + 2) * 2);
    assertThat(test.stream().map(ImageRecord::pid).collect(Collectors.toSet())).containsExactlyInAnyOrder(20, 21);
    assertThat(test.stream().filter(r -> r.pid() == 20).map(ImageRecord::camera).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
    assertThat(test.stream().filter(r -> r.camera() == 3 || r.camera() == 6))
        .allMatch(r -> r.modality() == View.INFRARED);
    assertThat(test.stream().filter(r -> r.camera() != 3 && r.camera() != 6))
        .allMatch(r -> r.modality() == View.VISIBLE);
  }

  @Test
  void holdoutKeepsTrainingIdsAsideAndNeverTestIds() {
    Path root = fixture();
    SysuMm01 s = SysuMm01.open(root, new SysuMm01.Options(1, 4, false, 1));
    assertThat(s.holdoutIds()).hasSize(1);
    assertThat(Set.of(3, 7, 12)).containsAll(s.holdoutIds());
    assertThat(s.train().numClasses()).isEqualTo(2);
    Set<Integer> train = new TreeSet<>(s.train().pids());
    assertThat(train).doesNotContainAnyElementsOf(s.holdoutIds());
    assertThat(s.holdout()).isNotEmpty().allMatch(r -> s.holdoutIds().contains(r.pid()));
    assertThat(s.testIds()).doesNotContainAnyElementsOf(train).doesNotContainAnyElementsOf(s.holdoutIds());
    // the same seed chooses the same identities
    assertThat(SysuMm01.open(root, new SysuMm01.Options(1, 4, false, 1)).holdoutIds()).isEqualTo(s.holdoutIds());
    IbreidException e = catchThrowableOfType(IbreidException.class,
        () -> SysuMm01.open(root, new SysuMm01.Options(3, 1, false, 1)));
    assertThat(e.getMessage()).contains("holdout 3").contains("expected 0..2");
  }

  @Test
  void readsAGeneratedSet() {
    Path root = dir.resolve("gen");
    SyntheticGenerator.Summary sum = SyntheticGenerator.generate(
        SyntheticGenerator.Spec.of(SyntheticGenerator.Layout.SYSU, 8, 4, 32, 16, 2, 0.75, 3), root, 2);
    SysuMm01 s = open(root);
    assertThat(s.train().numClasses()).isEqualTo(8);
    assertThat(s.testIds()).hasSize(4);
    assertThat(s.train().records().size() + s.testRecords().size()).isEqualTo(sum.images());
    long vis = s.train().count(View.VISIBLE) + s.testRecords().stream().filter(r -> r.modality() == View.VISIBLE)
        .count();
    assertThat(vis).isEqualTo(sum.visibleImages());
  }

  @Test
  void missingRoot() {
    Path root = dir.resolve("absent");
    assertThat(Fixtures.oneLineNaming(failure(root), root)).contains("does not exist");
  }

  @Test
  void missingIdList() throws Exception {
    Path root = fixture();
    Path list = root.resolve("exp/val_id.txt");
    Files.delete(list);
    assertThat(Fixtures.oneLineNaming(failure(root), list)).contains("does not exist")
        .contains("comma-separated");
  }

  @Test
  void malformedIdList() {
    Path root = fixture();
    Path list = root.resolve("exp/train_id.txt");
    Fixtures.text(list, "3,seven");
    assertThat(Fixtures.oneLineNaming(failure(root), list)).contains("'seven'");
  }

  @Test
  void missingCameraFolder() throws Exception {
    Path root = fixture();
    Files.move(root.resolve("cam4"), root.resolve("cam4-old"));
    assertThat(Fixtures.oneLineNaming(failure(root), root.resolve("cam4"))).contains("expected cam1..cam6");
  }

  @Test
  void idListNamingAnAbsentId() {
    Path root = fixture();
    Path list = root.resolve("exp/train_id.txt");
    Fixtures.text(list, "3,7,99");
    String m = Fixtures.oneLineNaming(failure(root), list);
    assertThat(m).contains("identity 99").contains("0099");
  }

  @Test
  void testListNamingAnAbsentId() {
    Path root = fixture();
    Path list = root.resolve("exp/test_id.txt");
    Fixtures.text(list, "20,21,55");
    SysuMm01 s = open(root); // the training split does not need the test images
    IbreidException e = catchThrowableOfType(IbreidException.class, s::testRecords);
    assertThat(Fixtures.oneLineNaming(e, list)).contains("identity 55");
  }

  @Test
  void trainAndTestListsSharingAnId() {
    Path root = fixture();
    Fixtures.text(root.resolve("exp/test_id.txt"), "20,21,7");
    assertThat(Fixtures.oneLineNaming(failure(root), root.resolve("exp/test_id.txt"))).contains("identity 7")
        .contains("disjoint");
  }

  @Test
  void emptyIdentityFolder() throws Exception {
    Path root = fixture();
    Path folder = Files.createDirectories(root.resolve("cam5/0007"));
    assertThat(Fixtures.oneLineNaming(failure(root), folder)).contains("is empty");
  }

  @Test
  void zeroByteImage() throws Exception {
    Path root = fixture();
    Path img = root.resolve("cam3/0012/0002.jpg");
    Files.write(img, new byte[0]);
    assertThat(Fixtures.oneLineNaming(failure(root), img)).contains("0 bytes");
  }

  @Test
  void nonImageFile() {
    Path root = fixture();
    Fixtures.text(root.resolve("cam1/0007/notes.txt"), "x");
    assertThat(Fixtures.oneLineNaming(failure(root), root.resolve("cam1/0007"))).contains("notes.txt")
        .contains("not an image");
  }

  @Test
  void hiddenFilesAreIgnored() {
    Path root = fixture();
    Fixtures.text(root.resolve("cam1/0007/.DS_Store"), "x");
    assertThat(open(root).train().records()).hasSize(14);
  }

  /**
   * Windows extractions of the real archives leave {@code Thumbs.db} (and {@code desktop.ini}) in identity folders:
   * skipped, with one warning line for the training scan and one for the test scan, whatever their number.
   */
  @Test
  void windowsMetadataFilesAreSkippedWithOneWarningLine() {
    Path root = fixture();
    Fixtures.text(root.resolve("cam1/0007/Thumbs.db"), "x");
    Fixtures.text(root.resolve("cam3/0012/desktop.ini"), "[.ShellClassInfo]");
    Fixtures.text(root.resolve("cam1/0003/THUMBS.DB"), "x");
    Fixtures.text(root.resolve("cam5/0021/Thumbs.db"), "x");
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        SysuMm01.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
        new ch.qos.logback.core.read.ListAppender<>();
    log.start();
    logger.addAppender(log);
    try {
      SysuMm01 s = open(root);
      assertThat(s.train().records()).hasSize(14);
      assertThat(log.list).singleElement().satisfies(e -> {
        assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
        assertThat(e.getFormattedMessage()).contains("skipped 3 operating-system metadata files").contains(
            "training").doesNotContain("\n");
      });
      assertThat(s.testRecords()).hasSize((6 + 2) * 2);
      assertThat(log.list).hasSize(2);
      assertThat(log.list.get(1).getFormattedMessage()).contains("skipped 1 operating-system metadata file ")
          .contains("test").contains(root.resolve("cam5/0021/Thumbs.db").toString());
    } finally {
      logger.detachAppender(log);
    }
    // any other non-image file is still an error
    Fixtures.text(root.resolve("cam1/0007/Thumbs.db.txt"), "x");
    assertThat(Fixtures.oneLineNaming(failure(root), root.resolve("cam1/0007"))).contains("Thumbs.db.txt")
        .contains("not an image");
  }

  @Test
  void imageWithWrongContent() {
    Path root = fixture();
    Path img = root.resolve("cam1/0003/0001.jpg");
    Fixtures.text(img, "<html>not found</html>");
    assertThat(Fixtures.oneLineNaming(failure(root), img)).contains("not a JPG, PNG or BMP image");
  }

  @Test
  void corruptImagesAreSkippedWithAWarningWhenAsked() throws Exception {
    Path root = fixture();
    Path img = root.resolve("cam1/0003/0002.jpg");
    byte[] b = Files.readAllBytes(img);
    Files.write(img, java.util.Arrays.copyOf(b, b.length / 3)); // truncated: header fine, data cut
    assertThat(open(root).train().records()).hasSize(14); // the cheap check lets it through; decoding will fail
    SysuMm01 s = SysuMm01.open(root, new SysuMm01.Options(0, 1, true, 2));
    assertThat(s.train().records()).hasSize(13).noneMatch(r -> r.path().equals(img));
  }
}
