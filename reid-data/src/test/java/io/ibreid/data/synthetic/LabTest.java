package io.ibreid.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.branch.View;
import io.ibreid.core.data.DataContext;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.synthetic.SyntheticGenerator.Summary;
import io.ibreid.data.sysu.SysuMm01;
import io.ibreid.data.training.SyntheticDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab from Java: the small parameter set, progress lines, and a data set that reports its generation. */
class LabTest {
  @TempDir
  Path dir;

  @Test
  void smallLabIsWhatItsDocumentationSaysAndTheReaderLoadsIt() {
    List<String> lines = new ArrayList<>();
    Summary s = Lab.generate(dir.resolve("small"), Lab.small(), (level, line) -> lines.add(level + " " + line));
    // 12 + 6 identities, 8 visible + 4 infrared images each
    assertThat(s.images()).isEqualTo(216);
    assertThat(s.visibleImages()).isEqualTo(144);
    assertThat(s.infraredImages()).isEqualTo(72);
    assertThat(s.trainIds()).isEqualTo(12);
    assertThat(s.testIds()).isEqualTo(6);
    assertThat(s.spec().layout()).isEqualTo(Layout.SYSU);
    assertThat(s.toString()).startsWith("generated 216 sysu-layout images (144 visible + 72 infrared) of 12+6 "
        + "identities at 64x32 into " + dir.resolve("small").toAbsolutePath().normalize() + " in ");
    // fewer than 1000 images: a start line and the summary, no percentages
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("INFO generating 216 sysu-layout images of 12+6 identities (64x32) into ");
    assertThat(lines.get(1)).isEqualTo("INFO " + s);

    SysuMm01 data = SysuMm01.open(s.root(), SysuMm01.Options.defaults());
    assertThat(data.train().numClasses()).isEqualTo(12);
    assertThat(data.train().count(View.VISIBLE)).isEqualTo(96);
    assertThat(data.train().count(View.INFRARED)).isEqualTo(48);
    assertThat(data.testIds()).hasSize(6);
    assertThat(data.testRecords()).extracting(ImageRecord::modality).filteredOn(m -> m == View.INFRARED).hasSize(24);
  }

  @Test
  void aLargerSetReportsEveryTenth() {
    List<String> lines = new ArrayList<>();
    // 50 + 10 identities x (12 + 6) images = 1,080 images, the smallest size the generator allows
    Summary s = Lab.generate(dir.resolve("larger"), Lab.sysu().withIds(50, 10).withImages(12, 6).withSize(16, 8),
        (level, line) -> lines.add(line));
    assertThat(s.images()).isEqualTo(1080);
    assertThat(lines).hasSize(11);
    assertThat(lines.get(0)).startsWith("generating 1080 sysu-layout images");
    for (int k = 1; k <= 9; k++) {
      assertThat(lines.get(k)).isEqualTo("generated " + (108 * k) + " of 1080 images (" + 10 * k + " %)");
    }
    assertThat(lines.get(10)).startsWith("generated 1080 sysu-layout images");
  }

  @Test
  void aSyntheticDataSetSaysItGeneratesBeforeItOpensAndWarnsThroughItsLogToo() throws Exception {
    Path root = dir.resolve("lab");
    List<String> lines = new ArrayList<>();
    DataContext context = new DataContext(root, ImageShape.rgb(32, 16), 2, 2, 1, 1,
        (level, line) -> lines.add(level + " " + line));
    SyntheticDataset.SysuFactory factory = new SyntheticDataset.SysuFactory();
    Map<String, Object> params = Map.of("ids", 4, "testIds", 2, "height", 32, "width", 16, "visibleImages", 4,
        "infraredImages", 2);
    try (TrainingSet set = factory.fromConfig(params, "data.params", context)) {
      assertThat(set.numClasses()).isEqualTo(4);
    }
    assertThat(lines.get(0)).isEqualTo("INFO no data set at " + root + ": generating a synthetic sysu data set there "
        + "(4+2 identities, 4+2 images each)");
    assertThat(lines.get(1)).startsWith("INFO generating 36 sysu-layout images");
    assertThat(lines.get(2)).startsWith("INFO generated 36 sysu-layout images");
    assertThat(Files.isRegularFile(root.resolve(SyntheticGenerator.SPEC_FILE))).isTrue();

    // the same root asked for with other parameters: used as it is, with a warning to the log
    lines.clear();
    try (TrainingSet set = factory.fromConfig(Map.of("ids", 4, "testIds", 2, "height", 32, "width", 16,
        "visibleImages", 4, "infraredImages", 2, "contrast", 0.3), "data.params", context)) {
      assertThat(set.numClasses()).isEqualTo(4);
    }
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("WARNING " + root + " holds a synthetic data set generated with other "
        + "parameters (").contains("contrast=0.25").contains("contrast=0.3");
  }
}
