package io.ibreid.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ibreid.core.IbreidException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DatasetCheck} on hand-made folders in the real SYSU-MM01 and RegDB layouts. */
class DatasetCheckTest {
  @TempDir
  Path dir;

  /** train ids 3, 7; val id 12; test ids 20, 21; 2 JPGs per camera, sizes varying with the identity. */
  private Path sysu() {
    // sizes differ per identity, camera and image, so the check's size summary sees a spread
    return Fixtures.smallSysu(dir.resolve("SYSU-MM01"), (pid, c, k) -> new int[] {24 + 8 * k + pid, 12 + c});
  }

  private static void truncate(Path file) throws Exception {
    byte[] b = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(b, b.length / 2));
  }

  @Test
  void aHealthySysuSetPassesAndCountsTestImagesToo() {
    DatasetCheck.Report r = DatasetCheck.run("sysu", sysu(), Map.of(), true, 2);
    assertThat(r.ok()).isTrue();
    assertThat(r.decoded()).isTrue();
    // training (2 + 3 + 2 cameras) and test (6 + 2 cameras) identities, 2 images each
    assertThat(r.images()).isEqualTo((7 + 8) * 2);
    assertThat(r.description()).contains("3 training ids", "2 test ids");
  }

  @Test
  void aTestIdWithoutAFolderFailsTheLayoutCheck() {
    Path root = sysu();
    Fixtures.text(root.resolve("exp/test_id.txt"), "20,21,22\r\n");
    IbreidException e = catchThrowableOfType(IbreidException.class,
        () -> DatasetCheck.run("sysu", root, Map.of(), false, 1));
    assertThat(Fixtures.oneLineNaming(e, root.resolve("exp/test_id.txt"))).contains("identity 22");
  }

  @Test
  void everyBadFileIsListedHeadersWithoutDecodeAndTruncationsWithIt() throws Exception {
    Path root = sysu();
    Path emptyTest = root.resolve("cam3/0020/0002.jpg");
    Files.write(emptyTest, new byte[0]);
    Path truncatedTest = root.resolve("cam5/0021/0001.jpg");
    truncate(truncatedTest);
    Path truncatedTrain = root.resolve("cam1/0007/0002.jpg");
    truncate(truncatedTrain);
    DatasetCheck.Report quick = DatasetCheck.run("sysu", root, Map.of("skipCorrupt", true), false, 2);
    assertThat(quick.decoded()).isFalse();
    assertThat(quick.badImages()).singleElement().asString().contains(emptyTest.toString()).contains("0 bytes");
    DatasetCheck.Report full = DatasetCheck.run("sysu", root, Map.of(), true, 2);
    assertThat(full.ok()).isFalse();
    assertThat(full.images()).isEqualTo(30);
    assertThat(full.badImages()).hasSize(3);
    // reading order: training split first, then test; each one line naming its file
    assertThat(full.badImages().get(0)).contains(truncatedTrain.toString()).contains("corrupt");
    assertThat(full.badImages().get(1)).contains(emptyTest.toString()).contains("0 bytes");
    assertThat(full.badImages().get(2)).contains(truncatedTest.toString()).contains("corrupt");
    assertThat(full.badImages()).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
  }

  /** RegDB: visible 24-bit BMPs, thermal 8-bit palette BMPs, as the real set stores them. */
  @Test
  void regdbTestImagesAreDecodedToo() throws Exception {
    Path root = dir.resolve("RegDB");
    byte[] grey = new byte[256];
    for (int i = 0; i < 256; i++) {
      grey[i] = (byte) i;
    }
    IndexColorModel palette = new IndexColorModel(8, 256, grey, grey, grey);
    StringBuilder[] lists = {new StringBuilder(), new StringBuilder(), new StringBuilder(), new StringBuilder()};
    for (int p = 1; p <= 4; p++) {
      for (int k = 1; k <= 2; k++) {
        Fixtures.write(root.resolve("Visible/" + p + "/v" + k + ".bmp"), 32, 16, p * 10 + k);
        BufferedImage t = new BufferedImage(16, 32, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 16; x++) {
            t.getRaster().setSample(x, y, 0, (x * 7 + y * 3 + p * 40 + k) & 0xFF);
          }
        }
        Files.createDirectories(root.resolve("Thermal/" + p));
        assertThat(ImageIO.write(t, "bmp", root.resolve("Thermal/" + p + "/t" + k + ".bmp").toFile())).isTrue();
        int split = p <= 2 ? 0 : 2;
        lists[split].append("Visible/").append(p).append("/v").append(k).append(".bmp ").append((p - 1) % 2)
            .append('\n');
        lists[split + 1].append("Thermal/").append(p).append("/t").append(k).append(".bmp ").append((p - 1) % 2)
            .append('\n');
      }
    }
    Fixtures.text(root.resolve("idx/train_visible_1.txt"), lists[0].toString());
    Fixtures.text(root.resolve("idx/train_thermal_1.txt"), lists[1].toString());
    Fixtures.text(root.resolve("idx/test_visible_1.txt"), lists[2].toString());
    Fixtures.text(root.resolve("idx/test_thermal_1.txt"), lists[3].toString().strip()); // no final newline
    assertThat(DatasetCheck.run("regdb", root, Map.of("trial", 1), true, 2).ok()).isTrue();
    Path bad = root.resolve("Thermal/4/t2.bmp");
    truncate(bad);
    DatasetCheck.Report r = DatasetCheck.run("regdb", root, Map.of("trial", 1), true, 2);
    assertThat(r.images()).isEqualTo(16);
    assertThat(r.badImages()).singleElement().asString().contains(bad.toString());
  }
}
