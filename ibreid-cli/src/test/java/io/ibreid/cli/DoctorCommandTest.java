package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {
  @Test
  void checksADataSetRootAndNamesWhatIsWrong(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("sysu");
    assertThat(IbreidCliTest.run("synth", "--layout", "sysu", "--out", data.toString(), "--ids", "4", "--test-ids",
        "2", "--size", "32x16", "--images", "1").code()).isZero();
    IbreidCliTest.Result ok = IbreidCliTest.run("doctor", "--dataset", "sysu", "--root", data.toString(), "--decode");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).startsWith("ok: ").contains("images decoded");

    Files.delete(data.resolve("exp/test_id.txt"));
    IbreidCliTest.Result bad = IbreidCliTest.run("doctor", "--dataset", "sysu", "--root", data.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.out()).startsWith("error: ").contains(data.resolve("exp/test_id.txt").toString());
  }

  /** Issue 29: a list naming an id twice, a BOM, a symbolic-link loop: never a silent {@code ok}. */
  @Test
  void namesDuplicateIdsAndSymlinkLoopsInsteadOfSayingOk(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("sysu");
    assertThat(IbreidCliTest.run("synth", "--layout", "sysu", "--out", data.toString(), "--ids", "4", "--test-ids",
        "2", "--size", "32x16", "--images", "1", "--camera-presence", "1").code()).isZero();
    Path train = data.resolve("exp/train_id.txt");
    String ids = Files.readString(train).strip();
    String first = ids.split("[,\\s]+")[0];
    // a BOM is skipped, not an invisible character in an id
    Files.writeString(train, "\uFEFF" + ids + "\n");
    IbreidCliTest.Result bom = IbreidCliTest.run("doctor", "--dataset", "sysu", "--root", data.toString(), "--decode");
    assertThat(bom.code()).as(bom.out() + bom.err()).isZero();
    // an id listed twice: an error line naming the list and the id, exit 2, and no "ok" summary
    Files.writeString(train, ids + "," + first + "\n");
    IbreidCliTest.Result dup = IbreidCliTest.run("doctor", "--dataset", "sysu", "--root", data.toString(), "--decode");
    assertThat(dup.code()).as(dup.out()).isEqualTo(2);
    assertThat(dup.out()).contains("error: SYSU-MM01 id list " + train + " names identity " + Integer.parseInt(first)
        + " more than once").doesNotStartWith("ok: ").contains("but the lists need fixing");
    Files.writeString(train, ids + "\n");
    // a symbolic link that loops where an identity folder should be
    Path loop = data.resolve(String.format("cam2/%04d", Integer.parseInt(first)));
    if (Files.exists(loop)) {
      try (var s = Files.walk(loop)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createSymbolicLink(loop, loop.getFileName());
    IbreidCliTest.Result looped = IbreidCliTest.run("doctor", "--dataset", "sysu", "--root", data.toString());
    assertThat(looped.code()).as(looped.out()).isEqualTo(2);
    assertThat(looped.out()).startsWith("error: ").contains(loop.toString()).contains("symbolic link");
  }

  @Test
  void checksARunDirectory(@TempDir Path dir) {
    IbreidCliTest.Result r = IbreidCliTest.run("doctor", "--run", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("error: config file " + dir.resolve("config.yaml") + " does not exist");
    IbreidCliTest.Result none = IbreidCliTest.run("doctor");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("ibreid: doctor needs --system, --run RUN_DIR and/or --dataset TYPE --root DIR\n");
  }

  /** A person-shaped JPG of the given size: RGB for visible cameras, three equal channels for infrared ones. */
  static void jpg(Path file, int height, int width, int seed, boolean infrared) throws Exception {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(infrared ? new Color(40, 40, 40) : new Color(90, 120, 60));
    g.fillRect(0, 0, width, height);
    int level = 60 + (seed * 37) % 180;
    g.setColor(infrared ? new Color(level, level, level) : new Color(level, (seed * 53) % 256, 255 - level));
    g.fillRect(width / 4, height / 8, width / 2, height * 3 / 4);
    g.dispose();
    Files.createDirectories(file.getParent());
    assertThat(ImageIO.write(img, "jpeg", file.toFile())).isTrue();
  }

  /**
   * The SYSU-MM01 layout as a real download has it: gapped 4-digit ids, id lists with CRLF and without a final
   * newline, images of varying sizes, infrared stored as 3-channel JPGs, identities missing from some cameras, and
   * the files a Windows extraction leaves (Thumbs.db).
   */
  static Path realLayoutSysu(Path root) throws Exception {
    Files.createDirectories(root.resolve("exp"));
    Files.writeString(root.resolve("exp/train_id.txt"), "1,2,5,9\r\n");
    Files.writeString(root.resolve("exp/val_id.txt"), "13,14");
    Files.writeString(root.resolve("exp/test_id.txt"), "6,10,28\n");
    int[] ids = {1, 2, 5, 9, 13, 14, 6, 10, 28};
    for (int c = 1; c <= 6; c++) {
      Files.createDirectories(root.resolve("cam" + c));
    }
    int seed = 0;
    for (int id : ids) {
      for (int c = 1; c <= 6; c++) {
        if ((id + c) % 4 == 0 && c != 3 && c != 1) {
          continue; // this identity never passed this camera: no folder
        }
        for (int k = 1; k <= 2; k++) {
          seed++;
          jpg(root.resolve(String.format("cam%d/%04d/%04d.jpg", c, id, k)), 96 + 16 * (seed % 5),
              40 + 8 * (seed % 3), seed, c == 3 || c == 6);
        }
      }
    }
    Files.writeString(root.resolve("cam1/0005/Thumbs.db"), "windows thumbnail cache");
    Files.writeString(root.resolve("cam4/0010/desktop.ini"), "[.ShellClassInfo]\r\n");
    return root;
  }

  static void truncate(Path file) throws Exception {
    byte[] b = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(b, b.length / 2));
  }

  /**
   * On a real-layout SYSU-MM01 folder, broken test images (a zero-byte one and truncated ones) and a truncated
   * training image fail {@code doctor --decode} with every bad file listed and a count; without --decode the quick
   * check still names the zero-byte test image.
   */
  @Test
  void brokenTestImagesFailTheDoctorWithTheListOfBadFiles(@TempDir Path dir) throws Exception {
    Path root = realLayoutSysu(dir.resolve("SYSU-MM01"));
    IbreidCliTest.Result healthy = IbreidCliTest.run("doctor", "--dataset", "sysu", "--root", root.toString(),
        "--decode");
    assertThat(healthy.code()).as(healthy.out() + healthy.err()).isZero();
    assertThat(healthy.out().lines()).singleElement().asString().startsWith("ok: SYSU-MM01 ")
        .contains("6 training ids", "3 test ids", "images decoded");

    Path emptyTest = root.resolve("cam6/0028/0001.jpg");
    Files.write(emptyTest, new byte[0]);
    Path truncatedTest = root.resolve("cam1/0010/0002.jpg");
    truncate(truncatedTest);
    Path truncatedTest2 = root.resolve("cam3/0006/0001.jpg");
    truncate(truncatedTest2);
    Path truncatedTrain = root.resolve("cam2/0013/0001.jpg");
    truncate(truncatedTrain);

    IbreidCliTest.Result r = IbreidCliTest.run("doctor", "--dataset", "sysu", "--root", root.toString(), "--decode");
    assertThat(r.code()).isEqualTo(2);
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(5).allSatisfy(l -> assertThat(l).startsWith("error: "));
    assertThat(lines.get(0)).contains(truncatedTrain.toString(), "corrupt");
    assertThat(lines.subList(1, 4)).anySatisfy(l -> assertThat(l).contains(emptyTest.toString(), "0 bytes"))
        .anySatisfy(l -> assertThat(l).contains(truncatedTest.toString(), "corrupt"))
        .anySatisfy(l -> assertThat(l).contains(truncatedTest2.toString(), "corrupt"));
    assertThat(lines.get(4)).startsWith("error: 4 of ").contains("images cannot be decoded (listed above)",
        "data.params.skipCorrupt: true");

    IbreidCliTest.Result quick = IbreidCliTest.run("doctor", "--dataset", "sysu", "--root", root.toString());
    assertThat(quick.code()).isEqualTo(2);
    assertThat(quick.out().lines().toList()).hasSize(2);
    assertThat(quick.out()).contains(emptyTest.toString(), "error: 1 of ", "are missing, empty or not images");
  }

  @Test
  void aTestIdWithoutAnyFolderFailsTheDoctor(@TempDir Path dir) throws Exception {
    Path root = realLayoutSysu(dir.resolve("SYSU-MM01"));
    Files.writeString(root.resolve("exp/test_id.txt"), "6,10,28,31\n");
    IbreidCliTest.Result r = IbreidCliTest.run("doctor", "--dataset", "sysu", "--root", root.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out().lines()).singleElement().asString().startsWith("error: ")
        .contains(root.resolve("exp/test_id.txt").toString(), "identity 31");
  }
}
