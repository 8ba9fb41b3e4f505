package io.ibreid.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ibreid.core.IbreidException;
import io.ibreid.data.regdb.RegDb;
import io.ibreid.data.sysu.SysuMm01;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * List files and identity folders that used to be read silently (issue 29): a byte-order mark is skipped, ids or
 * images listed twice are noted (and {@code doctor} reports them), a symbolic-link loop where an identity folder
 * should be is an error naming it, a list that is not UTF-8 says so.
 */
class ListFilesTest {
  @TempDir
  Path dir;

  private Path sysu() {
    return Fixtures.smallSysu(dir.resolve("SYSU"));
  }

  private Path regdb() {
    Path root = dir.resolve("RegDB");
    for (int p = 1; p <= 4; p++) {
      for (int k = 1; k <= 2; k++) {
        Fixtures.write(root.resolve("Visible/" + p + "/v" + k + ".bmp"), 16, 8, p * 10 + k);
        Fixtures.write(root.resolve("Thermal/" + p + "/t" + k + ".bmp"), 16, 8, 100 + p * 10 + k);
      }
    }
    Fixtures.text(root.resolve("idx/train_visible_1.txt"), "Visible/1/v1.bmp 0\nVisible/1/v2.bmp 0\nVisible/2/v1.bmp 1\n");
    Fixtures.text(root.resolve("idx/train_thermal_1.txt"), "Thermal/1/t1.bmp 0\nThermal/2/t1.bmp 1\n");
    Fixtures.text(root.resolve("idx/test_visible_1.txt"), "Visible/3/v1.bmp 0\nVisible/4/v1.bmp 1\n");
    Fixtures.text(root.resolve("idx/test_thermal_1.txt"), "Thermal/3/t1.bmp 0\nThermal/4/t1.bmp 1\n");
    return root;
  }

  @Test
  void aByteOrderMarkIsSkipped() throws Exception {
    Path root = sysu();
    Files.writeString(root.resolve("exp/train_id.txt"), "\uFEFF3,7\n");
    assertThat(SysuMm01.open(root, SysuMm01.Options.defaults()).trainIds()).containsExactly(3, 7, 12);
    Path r = regdb();
    Files.writeString(r.resolve("idx/train_visible_1.txt"), "\uFEFFVisible/1/v1.bmp 0\nVisible/2/v1.bmp 1\n");
    RegDb opened = RegDb.open(r, RegDb.Options.trial(1));
    assertThat(opened.train().count(io.ibreid.core.branch.View.VISIBLE)).isEqualTo(2);
    assertThat(opened.notes()).isEmpty();
  }

  @Test
  void idsOrImagesListedTwiceAreNotedAndDoctorReportsThem() throws Exception {
    Path root = sysu();
    Files.writeString(root.resolve("exp/train_id.txt"), "3,7,3\n");
    Files.writeString(root.resolve("exp/val_id.txt"), "12,7\n");
    SysuMm01 s = SysuMm01.open(root, SysuMm01.Options.defaults());
    assertThat(s.trainIds()).containsExactly(3, 7, 12);
    assertThat(s.notes()).containsExactly(
        "SYSU-MM01 id list " + root.resolve("exp/train_id.txt") + " names identity 3 more than once; each is used once",
        "identity 7 is listed in both " + root.resolve("exp/train_id.txt") + " and " + root.resolve("exp/val_id.txt")
            + "; it is used once");
    DatasetCheck.Report report = DatasetCheck.run("sysu", root, Map.of(), true, 2);
    assertThat(report.ok()).isFalse();
    assertThat(report.badImages()).isEmpty();
    assertThat(report.notes()).hasSize(2);

    Path r = regdb();
    Files.writeString(r.resolve("idx/train_thermal_1.txt"), "Thermal/1/t1.bmp 0\nThermal/2/t1.bmp 1\n"
        + "Thermal/1/t1.bmp 0\n");
    assertThat(RegDb.open(r, RegDb.Options.trial(1)).notes()).containsExactly("RegDB index file "
        + r.resolve("idx/train_thermal_1.txt") + " lists Thermal/1/t1.bmp twice (lines 1 and 3)");
    assertThat(DatasetCheck.run("regdb", r, Map.of("trial", 1), true, 2).ok()).isFalse();
  }

  @Test
  void aSymbolicLinkLoopAsAnIdentityFolderIsAnError() throws Exception {
    Path root = sysu();
    Path loop = root.resolve("cam2/0007");
    Files.createSymbolicLink(loop, loop.getFileName()); // cam2/0007 -> 0007, itself
    IbreidException e = catchThrowableOfType(IbreidException.class,
        () -> SysuMm01.open(root, SysuMm01.Options.defaults()));
    assertThat(Fixtures.oneLineNaming(e, loop)).isEqualTo("SYSU-MM01 identity folder " + loop + " is a symbolic link "
        + "that leads nowhere (a loop or a missing target); expected a folder of images, or no entry at all");
    IbreidException check = catchThrowableOfType(IbreidException.class,
        () -> DatasetCheck.run("sysu", root, Map.of(), true, 2));
    assertThat(check).hasMessageContaining(loop.toString());
  }

  @Test
  void aListThatIsNotUtf8SaysSo() throws Exception {
    Path root = sysu();
    Files.write(root.resolve("exp/test_id.txt"), "20,21\u00e9".getBytes(StandardCharsets.ISO_8859_1));
    IbreidException e = catchThrowableOfType(IbreidException.class,
        () -> SysuMm01.open(root, SysuMm01.Options.defaults()));
    assertThat(e).hasMessage("SYSU-MM01 id list " + root.resolve("exp/test_id.txt") + " is not UTF-8 text; expected "
        + "a line of comma-separated identity numbers");
    Path r = regdb();
    Files.write(r.resolve("idx/test_visible_1.txt"), "Visible/3/v1.bmp 0\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(catchThrowableOfType(IbreidException.class, () -> RegDb.open(r, RegDb.Options.trial(1))))
        .hasMessageStartingWith("RegDB index file " + r.resolve("idx/test_visible_1.txt") + " is not UTF-8 text");
  }
}
