package io.ibreid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.InputTransform;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.View;
import io.ibreid.core.branch.Wiring;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.testing.TinyTrainingSet;
import io.ibreid.core.assembly.ModelAssembly;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.run.ModelFeatures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** configs/full-release.yaml: the release wiring and the release's test feature, 4 observation features wide. */
class ReleaseConfigFeatureTest {
  @Test
  void theReleaseTestFeatureIsTheFourObservationFeatures() {
    RunConfig config = ConfigLoader.load(ShippedConfigsTest.CONFIGS.resolve("full-release.yaml"),
        ShippedConfigsTest.SMALL);
    Plugins plugins = Plugins.discover();
    TinyTrainingSet data = ShippedConfigsTest.data(config);
    ReidModel model = ModelAssembly.model(config, plugins, data.imageShape(), data.numClasses());
    assertThat(model.wiring()).isEqualTo(Wiring.RELEASE);
    Map<String, ModelFeatures> sets = ModelFeatures.sets(model, config.evaluation, new TrainingImageLoader(), 8);
    ModelFeatures primary = sets.get("");
    int d = model.outputWidths().get("shared.v");
    assertThat(d).isEqualTo(512);
    assertThat(primary.dim()).isEqualTo(4 * d);
    assertThat(primary.parts(View.INFRARED)).hasToString("[infrared.v, shared.v@gray, visible.v, shared.v]");
    assertThat(sets.get("shared-vz").dim()).isEqualTo(d + 256);
    INDArray images = data.batch(0, 0).visible();
    FeatureMatrix f = primary.extract(images, View.VISIBLE);
    assertThat(f.rows()).isEqualTo((int) images.size(0));
    assertThat(f.dim()).isEqualTo(4 * d);
    // block 0 is the infrared branch on the grayscale copy, block 1 the shared branch on the grayscale copy
    INDArray irV = model.infer(BranchRole.INFRARED, InputTransform.GRAY.apply(images), List.of("v"),
        InputTransform.RAW).get("v").castTo(DataType.FLOAT);
    INDArray shGray = model.infer(BranchRole.SHARED, InputTransform.GRAY.apply(images), List.of("v"),
        InputTransform.RAW).get("v").castTo(DataType.FLOAT);
    float[] row = new float[4 * d];
    f.row(0, row);
    double n0 = irV.getRow(0).norm2Number().doubleValue();
    double n1 = shGray.getRow(0).norm2Number().doubleValue();
    for (int c = 0; c < d; c += 37) {
      assertThat((double) row[c]).isCloseTo(irV.getDouble(0, c) / n0, org.assertj.core.data.Offset.offset(1e-4));
      assertThat((double) row[d + c]).isCloseTo(shGray.getDouble(0, c) / n1,
          org.assertj.core.data.Offset.offset(1e-4));
    }
  }
}
