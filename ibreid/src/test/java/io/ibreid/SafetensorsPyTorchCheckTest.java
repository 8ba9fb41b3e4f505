package io.ibreid;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.Npy;
import io.ibreid.export.SafetensorsExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The manual check against PyTorch itself (not run by the build or CI: it needs {@code /usr/bin/python3} with
 * torch and torchvision, and trains a full-size ResNet-50): with {@code -Dibreid.safetensorsCheck=DIR} it trains a
 * one-branch run of torchvision's full-width ResNet-50 (last stride 1, BN-neck) for a few iterations on generated
 * images, exports its backbone with {@link Embedder#exportSafetensors}, writes the preprocessed input batch and
 * ibreid's pooled trunk output and observation v (inference mode) as .npy files into DIR, and runs
 * {@code benchmarks/pytorch/safetensors_check.py DIR}, which loads the file into {@code torchvision.models.resnet50()}
 * with {@code strict=False} and compares. Its output is the measurement docs/deployment.md quotes.
 *
 * <pre>
 * mvn -B -o -pl ibreid -am test -Dtest=SafetensorsPyTorchCheckTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dibreid.safetensorsCheck=/tmp/st-check
 * </pre>
 */
@EnabledIfSystemProperty(named = "ibreid.safetensorsCheck", matches = ".+")
class SafetensorsPyTorchCheckTest {
  @Test
  void pytorchLoadsTheExportAndComputesTheSameV() throws Exception {
    Path dir = Path.of(System.getProperty("ibreid.safetensorsCheck")).toAbsolutePath();
    Files.createDirectories(dir);
    Path data = dir.resolve("sysu");
    Path run = dir.resolve("run");
    int h = Integer.getInteger("ibreid.safetensorsCheck.height", 128);
    int w = Integer.getInteger("ibreid.safetensorsCheck.width", 64);
    if (!Files.isDirectory(run)) {
      Path cfg = dir.resolve("r50.yaml");
      Files.writeString(cfg, """
          name: safetensors-check
          seed: 11
          data:
            type: synthetic-sysu
            root: %s
            workers: 1
            params: {ids: 8, testIds: 4, height: %d, width: %d, images: 2, cameraPresence: 1, holdout: 0}
          input: {height: %d, width: %d}
          sampler: {identities: 3, instances: 2}
          branches:
            shared:
              encoder: {type: resnet50, params: {width: 64, lastStride: 1, bnNeck: true}}
              bottleneck: {type: mlp, params: {dim: 256, hidden: []}}
          losses:
            - {type: ce, branch: shared}
          schedule: {epochs: 1, batchesPerEpoch: 3}
          """.formatted(data, h, w, h, w));
      Ibreid.train(cfg, run, TrainOptions.defaults());
    }
    Embedder embedder = Embedder.open(run);
    Path file = dir.resolve("backbone.safetensors");
    SafetensorsExport.Result r = embedder.exportSafetensors(file, SafetensorsExport.Options.defaults());
    TrainedRun trained = TrainedRun.open(run, "best", Ibreid.plugins());
    ImageShape shape = trained.model().imageShape();
    List<Path> images = new ArrayList<>();
    for (String camera : List.of("cam1", "cam3")) {
      try (Stream<Path> files = Files.walk(data.resolve(camera))) {
        images.addAll(files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(4).toList());
      }
    }
    INDArray x = SafetensorsExportTest.batch(images, shape);
    INDArray trunk = SafetensorsExportTest.trunk(trained.model(), BranchRole.SHARED, x);
    INDArray v = trained.model().infer(BranchRole.SHARED, x, List.of("v")).get("v");
    Npy.write(dir.resolve("input.npy"), matrix(x.reshape(x.size(0), -1)));
    Npy.write(dir.resolve("trunk.npy"), matrix(trunk));
    Npy.write(dir.resolve("v.npy"), matrix(v));
    Path script = Path.of(System.getProperty("user.dir")).resolve("../benchmarks/pytorch/safetensors_check.py")
        .normalize();
    Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), dir.toString()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    Files.writeString(dir.resolve("check.txt"), "export: " + r + "\n" + out);
    assertThat(code).as(out).isZero();
  }

  private static FeatureMatrix matrix(INDArray a) {
    float[] f = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    FeatureMatrix m = FeatureMatrix.allocate((int) a.size(0), (int) a.size(1));
    m.buffer().put(f);
    return m;
  }
}
