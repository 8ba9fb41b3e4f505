package io.ibreid.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.image.FloatImage;
import io.ibreid.data.image.Pixels;
import io.ibreid.data.regdb.RegDb;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.synthetic.SyntheticGenerator.Spec;
import io.ibreid.data.sysu.SysuMm01;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factor file agrees with what was rendered, and reads back exactly. */
class FactorFileTest {
  @TempDir
  Path dir;

  private static Spec sysu() {
    return Spec.defaults(Layout.SYSU).withIds(6, 3).withSize(64, 32).withImages(4, 2).withSeed(21)
        .withDifficulty(new Difficulty(0.25, 1.0, 0.5, 8, 0.0));
  }

  /**
   * Every image re-rendered from its factor-file row and encoded as the generator encodes it (RegDB layout: BMP,
   * SYSU layout: JPG at quality 0.92) gives the file's exact bytes.
   */
  @Test
  void everyImageReRenderedFromItsRowHasTheFilesBytes() throws IOException {
    for (Spec spec : List.of(Spec.of(Layout.REGDB, 4, 2, 64, 32, 3, 1, 17), sysu())) {
      Path root = dir.resolve(spec.layout().label());
      SyntheticGenerator.generate(spec, root, 2);
      List<FactorFile.Row> rows = FactorFile.read(root);
      assertThat(rows).hasSize(spec.layout() == Layout.REGDB ? 6 * 3 * 2 : 9 * 6);
      String format = spec.layout() == Layout.REGDB ? "bmp" : "jpeg";
      Path again = dir.resolve("again");
      int differing = 0;
      for (FactorFile.Row row : rows) {
        FloatImage img = FactorFile.render(row, spec.seed(), spec.height(), spec.width());
        SyntheticGenerator.write(Pixels.toImage(img), again, format);
        assertThat(Files.readAllBytes(again)).as(row.path()).isEqualTo(Files.readAllBytes(root.resolve(row.path())));
        // and the factors matter: the next row's factors give another image
        FactorFile.Row other = rows.get((rows.indexOf(row) + 1) % rows.size());
        SyntheticGenerator.write(Pixels.toImage(FactorFile.render(new FactorFile.Row(row.path(), row.pid(),
            row.camera(), row.modality(), row.person(), other.shot()), spec.seed(), spec.height(), spec.width())),
            again, format);
        differing += java.util.Arrays.equals(Files.readAllBytes(again), Files.readAllBytes(root.resolve(row.path())))
            ? 0 : 1;
      }
      assertThat(differing).isEqualTo(rows.size());
    }
  }

  /** One row per image file, whose identity, camera and modality are the layout's. */
  @Test
  void oneRowPerImageWithTheLayoutsIdentityCameraAndModality() throws IOException {
    Path root = dir.resolve("s");
    SyntheticGenerator.generate(sysu(), root, 1);
    SysuMm01 data = SysuMm01.open(root, SysuMm01.Options.defaults());
    List<ImageRecord> all = new java.util.ArrayList<>(data.train().records());
    all.addAll(data.testRecords());
    java.util.Map<String, FactorFile.Row> byPath = new java.util.HashMap<>();
    for (FactorFile.Row r : FactorFile.read(root)) {
      assertThat(byPath.put(r.path(), r)).as("one row for " + r.path()).isNull();
    }
    assertThat(byPath).hasSize(all.size());
    for (ImageRecord r : all) {
      FactorFile.Row row = byPath.get(root.relativize(r.path()).toString());
      assertThat(row).as(r.path().toString()).isNotNull();
      assertThat(row.pid()).isEqualTo(r.pid());
      assertThat(row.camera()).isEqualTo(r.camera());
      assertThat(row.modality()).isEqualTo(r.modality());
    }
    try (Stream<Path> files = Files.walk(root)) {
      assertThat(files.filter(p -> p.toString().endsWith(".jpg")).count()).isEqualTo(all.size());
    }
  }

  /** Writing a row and reading it back gives the same person and shot; values are short plain decimals. */
  @Test
  void rowsRoundTripExactly() {
    Path root = dir.resolve("s");
    SyntheticGenerator.generate(sysu(), root, 1);
    Set<String> occluders = new HashSet<>();
    for (FactorFile.Row r : FactorFile.read(root)) {
      String line = FactorFile.line(r);
      assertThat(FactorFile.parse(line, "x")).isEqualTo(r);
      assertThat(line).doesNotContain("E-").doesNotContain("E+");
      occluders.add(r.shot().occluder());
      if (r.modality() == View.INFRARED) {
        assertThat(r.shot().castR()).isEqualTo(1.0);
      }
    }
    assertThat(occluders).contains("none", "bar", "post");
    assertThat(FactorFile.COLUMNS).hasSize(FactorFile.HEADER.split(",").length).doesNotHaveDuplicates();
  }

  @Test
  void badFactorFilesAreOneLineErrors() throws IOException {
    Path root = dir.resolve("s");
    SyntheticGenerator.generate(sysu(), root, 1);
    Path file = root.resolve(FactorFile.NAME);
    List<String> lines = Files.readAllLines(file);
    Files.writeString(file, lines.get(0) + "\n" + lines.get(1).replace(",visible,", ",ultraviolet,") + "\n");
    IbreidException e = catchThrowableOfType(IbreidException.class, () -> FactorFile.read(root));
    assertThat(e.getMessage()).contains("line 2").contains("ultraviolet").doesNotContain("\n");
    Files.writeString(file, "path,pid\n");
    e = catchThrowableOfType(IbreidException.class, () -> FactorFile.read(root));
    assertThat(e.getMessage()).contains("header").doesNotContain("\n");
    Files.delete(file);
    e = catchThrowableOfType(IbreidException.class, () -> FactorFile.read(root));
    assertThat(e.getMessage()).contains("no factor file");
  }

  @Test
  void regdbRowsNameTheirModalityAndCamera() {
    Path root = dir.resolve("r");
    SyntheticGenerator.generate(Spec.of(Layout.REGDB, 2, 1, 32, 16, 2, 1, 5), root, 1);
    for (FactorFile.Row r : FactorFile.read(root)) {
      boolean thermal = r.path().startsWith("Thermal/");
      assertThat(r.modality()).isEqualTo(thermal ? View.INFRARED : View.VISIBLE);
      assertThat(r.camera()).isEqualTo(thermal ? RegDb.THERMAL_CAMERA : RegDb.VISIBLE_CAMERA);
    }
  }
}
