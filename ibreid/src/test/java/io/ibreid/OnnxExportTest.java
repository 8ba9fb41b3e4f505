package io.ibreid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.data.image.ImageLoader;
import io.ibreid.export.OnnxExport;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported ONNX graph run by an independent runtime (ONNX Runtime's Java package) reproduces {@link
 * Embedder#embed} on real image files of a really trained run, to 1e-4: a three-branch {@code fast-resnet} run
 * (BN-necks, an {@code mlp} bottleneck with a hidden BN layer) whose test feature concatenates two branches, and a
 * {@code small-resnet} run under the release's wiring (the infrared branch fed grayscale copies) whose features mix
 * {@code v} and {@code z} outputs and an {@code @gray} transform.
 */
class OnnxExportTest {
  @TempDir
  static Path dir;
  static Path data;
  static Path fast;
  static Path release;

  static String yaml(String name, Path root, String encoder, String extra) {
    return """
        name: %s
        seed: 5
        data:
          type: synthetic-sysu
          root: %s
          workers: 1
          params: {ids: 8, testIds: 4, height: 32, width: 16, images: 2, cameraPresence: 1, holdout: 0}
        input: {height: 32, width: 16}
        sampler: {identities: 3, instances: 2}
        branches:
          visible:
            encoder: %s
            bottleneck: {type: mlp, params: {dim: 4, hidden: [6]}}
          infrared:
            encoder: %s
            bottleneck: {type: mlp, params: {dim: 4, hidden: [6]}}
          shared:
            encoder: %s
            bottleneck: {type: mlp, params: {dim: 4, hidden: [6]}}
        losses:
          - {type: ce, branch: visible}
          - {type: ce, branch: infrared}
          - {type: ce, branch: shared}
        schedule: {epochs: 2, batchesPerEpoch: 3}
        """.formatted(name, root, encoder, encoder, encoder) + extra;
  }

  @BeforeAll
  static void train() throws Exception {
    data = dir.resolve("sysu");
    fast = dir.resolve("fast");
    release = dir.resolve("release");
    Path c1 = dir.resolve("fast.yaml");
    Files.writeString(c1, yaml("onnx-fast", data, "{type: fast-resnet, params: {width: 4, stages: [1, 1], "
        + "observationSize: 8, bnNeck: true}}", ""));
    Ibreid.train(c1, fast, TrainOptions.defaults());
    Path c2 = dir.resolve("release.yaml");
    Files.writeString(c2, yaml("onnx-release", data, "{type: small-resnet, params: {width: 4, stages: [1, 1], "
        + "observationSize: 8, bnNeck: true}}", """
        wiring: release
        evaluation:
          visible: [shared.v, visible.z]
          infrared: [shared.v@gray, infrared.z]
        """));
    Ibreid.train(c2, release, TrainOptions.defaults());
  }

  static List<Path> images(String camera, int n) throws Exception {
    try (Stream<Path> files = Files.walk(data.resolve(camera))) {
      return files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(n).toList();
    }
  }

  /** ONNX Runtime's features of image files, preprocessed by ibreid's loader (decode, resize, normalise). */
  static float[][] onnxFeatures(Path model, String output, List<Path> files, ImageShape shape) throws Exception {
    ImageLoader loader = new ImageLoader(shape);
    int per = shape.channels() * shape.height() * shape.width();
    FloatBuffer batch = FloatBuffer.allocate(files.size() * per);
    for (Path f : files) {
      batch.put(loader.load(f));
    }
    batch.flip();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, batch, new long[] {files.size(), shape.channels(),
            shape.height(), shape.width()});
        OrtSession.Result r = session.run(Map.of("image", in))) {
      return (float[][]) r.get(output).orElseThrow().getValue();
    }
  }

  static double maxDifference(float[][] a, float[][] b) {
    assertThat(a.length).isEqualTo(b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      assertThat(a[i]).hasSameSizeAs(b[i]);
      for (int j = 0; j < a[i].length; j++) {
        max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return max;
  }

  void checkRun(Path run, String expectedVisible) throws Exception {
    Embedder embedder = Embedder.open(run);
    Path model = run.resolveSibling(run.getFileName() + ".onnx");
    OnnxExport.Result written = embedder.exportOnnx(model, OnnxExport.Options.defaults());
    assertThat(Files.size(model)).isEqualTo(written.bytes());
    assertThat(written.metadata()).containsEntry("ibreid.feature.visible", expectedVisible)
        .containsEntry("ibreid.input.height", "32").containsEntry("ibreid.input.width", "16")
        .containsEntry("ibreid.input.mean", "0.485,0.456,0.406")
        .containsEntry("ibreid.run.fingerprint", embedder.fingerprint());
    ImageShape shape = ImageShape.rgb(embedder.config().input.height, embedder.config().input.width);
    for (View view : View.values()) {
      List<Path> files = images(view == View.VISIBLE ? "cam1" : "cam3", 5);
      float[][] expected = embedder.embed(files, view);
      float[][] actual = onnxFeatures(model, OnnxExport.outputName(view), files, shape);
      assertThat(maxDifference(expected, actual)).as(view + " features of " + run).isLessThanOrEqualTo(1e-4);
      // the features differ between images: the comparison is not of constants
      assertThat(maxDifference(new float[][] {expected[0]}, new float[][] {expected[1]})).isGreaterThan(1e-3);
    }
    checkWithOnnxPackage(model);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
      assertThat(session.getMetadata().getCustomMetadata()).containsAllEntriesOf(written.metadata());
      assertThat(session.getOutputNames()).containsExactly("feature_visible", "feature_infrared");
    }
  }

  /**
   * Where Debian's {@code python3-onnx} is installed (a developer machine; CI need not have it), the {@code onnx}
   * package's full checker (with shape inference) must accept the file as well.
   */
  static void checkWithOnnxPackage(Path model) throws Exception {
    Path python = Path.of("/usr/bin/python3");
    if (!Files.isExecutable(python)) {
      return;
    }
    Process probe = new ProcessBuilder(python.toString(), "-c", "import onnx").redirectErrorStream(true).start();
    probe.getInputStream().readAllBytes();
    if (probe.waitFor() != 0) {
      return;
    }
    Process p = new ProcessBuilder(python.toString(), "-c", "import onnx, sys; "
        + "onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print('ok')", model.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out.trim()).isEqualTo("ok");
  }

  @Test
  void onnxRuntimeReproducesTheFastResNetRunsTwoBranchFeature() throws Exception {
    checkRun(fast, "visible.z,shared.z");
  }

  @Test
  void onnxRuntimeReproducesTheReleaseWiredSmallResNetRunsMixedFeature() throws Exception {
    checkRun(release, "shared.v,visible.z");
  }

  /**
   * torchvision's ResNet-18 (basic blocks) and ResNet-50 (bottleneck blocks), 7×7 stem and max pooling, trained for
   * real and exported: ONNX Runtime reproduces their features too (2026-12-06: largest differences 3.8e-6 and
   * 1.1e-5). Skipped if encoders-fast's {@code resnet18}/{@code resnet50} (issue 25) are not on the class path.
   */
  @Test
  void onnxRuntimeReproducesTorchvisionResNets(@TempDir Path own) throws Exception {
    var resnet50 = Ibreid.plugins().all(io.ibreid.core.observation.EncoderFactory.KIND).get("resnet50");
    org.junit.jupiter.api.Assumptions.assumeTrue(resnet50 != null
        && resnet50.getClass().getName().startsWith("io.ibreid.encoders.fast."),
        "encoders-fast's torchvision ResNets (issue 25) are not on the class path");
    for (String encoder : List.of("{type: resnet18, params: {width: 8, lastStride: 1, bnNeck: true}}",
        "{type: resnet50, params: {width: 4, lastStride: 2, bnNeck: true}}")) {
      String name = encoder.contains("resnet18") ? "r18" : "r50";
      Path cfg = own.resolve(name + ".yaml");
      Files.writeString(cfg, yaml("onnx-" + name, data, encoder, ""));
      Path run = own.resolve(name);
      Ibreid.train(cfg, run, TrainOptions.defaults());
      checkRun(run, "visible.z,shared.z");
    }
  }

  @Test
  void theWholeFeatureCanBeNormalisedAndOneModalityExported() throws Exception {
    Embedder embedder = Embedder.open(fast);
    Path model = dir.resolve("ir-only.onnx");
    embedder.exportOnnx(model, new OnnxExport.Options(List.of(View.INFRARED), true));
    List<Path> files = images("cam3", 3);
    float[][] actual = onnxFeatures(model, "feature_infrared", files, ImageShape.rgb(embedder.config().input.height, embedder.config().input.width));
    float[][] expected = embedder.embed(files, View.INFRARED);
    for (int i = 0; i < expected.length; i++) {
      double norm = 0;
      for (float x : expected[i]) {
        norm += x * x;
      }
      for (int j = 0; j < expected[i].length; j++) {
        expected[i][j] /= (float) Math.sqrt(norm);
      }
    }
    assertThat(maxDifference(expected, actual)).isLessThanOrEqualTo(1e-4);
  }

  @Test
  void anUnwritablePathIsOneLineAndLeavesNothing() throws Exception {
    Embedder embedder = Embedder.open(fast);
    Path blocker = dir.resolve("a-file");
    Files.writeString(blocker, "x");
    assertThatThrownBy(() -> embedder.exportOnnx(blocker.resolve("m.onnx"), OnnxExport.Options.defaults()))
        .isInstanceOf(IbreidException.class).hasMessage("cannot write " + blocker.resolve("m.onnx") + ": " + blocker + " is a file, not a folder")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> embedder.exportOnnx(dir, OnnxExport.Options.defaults()))
        .isInstanceOf(IbreidException.class).hasMessageContaining("is a directory");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }
}
