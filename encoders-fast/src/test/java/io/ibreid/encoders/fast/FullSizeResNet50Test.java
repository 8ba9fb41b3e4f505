package io.ibreid.encoders.fast;

import static io.ibreid.encoders.fast.TorchvisionForwardTest.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ibreid.weights.Npy;
import io.ibreid.weights.Tensor;
import io.ibreid.weights.pretrained.TorchvisionResNet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-off comparison at torchvision's full width, skipped unless {@code -Dibreid.resnet50Full=FOLDER} names the
 * folder {@code make_fixtures.py --full-size FOLDER} wrote (a random torchvision ResNet-50, ~100 MB a file, too large
 * to commit): ibreid's 2048-d feature at 256×128, last stride 1, eval mode, from each of the three files, against
 * PyTorch's, in double (libnd4j) and float (oneDNN where it runs). The max abs difference is logged.
 *
 * <pre>
 *   /usr/bin/python3 torch-weights/src/test/python/make_fixtures.py --full-size /tmp/resnet50-full
 *   mvn -o -pl encoders-fast -am -Dtest=FullSizeResNet50Test -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dibreid.resnet50Full=/tmp/resnet50-full test
 * </pre>
 */
class FullSizeResNet50Test {
  private static final Logger LOG = LoggerFactory.getLogger(FullSizeResNet50Test.class);

  static INDArray npy(Path file, DataType type) {
    Tensor t = Npy.read(file);
    return Nd4j.create(t.toDoubleArray(), t.shape(), DataType.DOUBLE).castTo(type);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"resnet50-full.pth, f64", "resnet50-full.pth, f32", "resnet50-full-legacy.pth, f32",
      "resnet50-full.safetensors, f32"})
  void the2048dFeatureEqualsPyTorchs(String file, String precision) {
    String folder = System.getProperty("ibreid.resnet50Full");
    assumeThat(folder).as("-Dibreid.resnet50Full=FOLDER (make_fixtures.py --full-size FOLDER)").isNotNull();
    Path dir = Path.of(folder);
    assertThat(Files.isDirectory(dir)).as(dir.toString()).isTrue();
    DataType type = precision.equals("f64") ? DataType.DOUBLE : DataType.FLOAT;
    {
      ComputationGraph g = TorchvisionForwardTest.graph(TorchvisionResNet.RESNET50, 64, 1, false,
          dir.resolve(file), "auto", type, io.ibreid.core.observation.ImageShape.rgb(256, 128));
      INDArray pool = g.outputSingle(false, npy(dir.resolve("input-" + precision + ".npy"), type));
      INDArray expected = npy(dir.resolve("eval-ls1-" + precision + "/pool.npy"), type);
      assertThat(pool.shape()).containsExactly(2, 2048);
      double diff = maxAbsDiff(pool, expected);
      double scale = expected.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
      LOG.info("full-size ResNet-50 {} {}: max abs difference of the 2048-d feature {} (max |v| {}, relative {})",
          file, precision, diff, scale, diff / scale);
      assertThat(diff / scale).as(file + " " + precision).isLessThan(type == DataType.DOUBLE ? 1e-10 : 1e-5);
    }
  }
}
