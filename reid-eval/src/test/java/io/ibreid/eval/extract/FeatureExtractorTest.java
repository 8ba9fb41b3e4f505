package io.ibreid.eval.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.core.IbreidException;
import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.branch.Branch;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.observation.SmallResNetEncoder;
import io.ibreid.eval.features.FeatureMatrix;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class FeatureExtractorTest {
  static final ImageShape SHAPE = ImageShape.rgb(8, 4);

  @TempDir
  Path dir;

  static ReidModel tinyModel() {
    SmallResNetEncoder.Params e = new SmallResNetEncoder.Params();
    e.width = 3;
    e.stages = new int[] {1, 1};
    e.observationSize = 6;
    MlpBottleneck.Params b = new MlpBottleneck.Params();
    b.dim = 4;
    b.hidden = new int[] {5};
    List<Branch> branches = List.of(new Branch(BranchRole.SHARED, new SmallResNetEncoder(e), new MlpBottleneck(b)));
    return ReidModel.build(branches, SHAPE, 3,
        new ReidModel.Options(7, DataType.FLOAT, WorkspaceMode.ENABLED));
  }

  List<Path> images(int n) throws IOException {
    Random rnd = new Random(5);
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BufferedImage img = new BufferedImage(4 * (1 + i % 2), 8 * (1 + i % 2), BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          img.setRGB(x, y, rnd.nextInt(1 << 24));
        }
      }
      Path p = dir.resolve("img" + i + (i % 2 == 0 ? ".png" : ".bmp"));
      ImageIO.write(img, i % 2 == 0 ? "png" : "bmp", p.toFile());
      out.add(p);
    }
    return out;
  }

  @Test
  void featuresMatchDirectInferenceWhateverTheBatchSize() throws IOException {
    ReidModel model = tinyModel();
    List<Path> imgs = images(5);
    FeatureMatrix one = new FeatureExtractor(model, new TrainingImageLoader(), 1).extract(imgs, BranchRole.SHARED, "z");
    FeatureMatrix three = new FeatureExtractor(model, new TrainingImageLoader(), 3).extract(imgs, BranchRole.SHARED,
        "z");
    INDArray direct = model.infer(BranchRole.SHARED, new TrainingImageLoader().load(imgs, SHAPE), List.of("z")).get("z");
    assertThat(one.rows()).isEqualTo(5);
    assertThat(one.dim()).isEqualTo(4);
    for (int i = 0; i < 5; i++) {
      for (int k = 0; k < 4; k++) {
        assertThat(one.get(i, k)).isCloseTo(direct.getFloat(i, k), within(1e-5f));
        assertThat(three.get(i, k)).isCloseTo(direct.getFloat(i, k), within(1e-5f));
      }
    }
    FeatureMatrix v = new FeatureExtractor(model, new TrainingImageLoader(), 2).extract(imgs, BranchRole.SHARED, "v");
    assertThat(v.dim()).isEqualTo(6);
  }

  @Test
  void unknownOutputOrBranchIsAnError() throws IOException {
    ReidModel model = tinyModel();
    List<Path> imgs = images(1);
    FeatureExtractor fx = new FeatureExtractor(model, new TrainingImageLoader(), 2);
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> fx.extract(imgs, BranchRole.SHARED, "w")))
        .isInstanceOf(IbreidException.class).hasMessageContaining("no output [shared.w]");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> fx.extract(imgs, BranchRole.VISIBLE, "z")))
        .isInstanceOf(IbreidException.class).hasMessageContaining("visible.z");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> fx.extract(List.of(dir.resolve("none.jpg")),
        BranchRole.SHARED, "z"))).isInstanceOf(IbreidException.class).hasMessageContaining("does not exist");
  }
}
