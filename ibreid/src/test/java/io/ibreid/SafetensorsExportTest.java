package io.ibreid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import io.ibreid.core.assembly.ModelAssembly;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.View;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.data.image.ImageLoader;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.run.ModelFeatures;
import io.ibreid.export.SafetensorsExport;
import io.ibreid.weights.DType;
import io.ibreid.weights.Fixtures;
import io.ibreid.weights.StateDict;
import io.ibreid.weights.Tensor;
import io.ibreid.weights.pretrained.TorchvisionResNet;
import io.ibreid.weights.safetensors.SafetensorsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A really trained run's torchvision backbone exported as safetensors under torchvision's keys, and read back by
 * ibreid's own safetensors reader through the normal {@code weights:} path into a fresh encoder of the same
 * architecture: the fresh model's features equal the trained run's (≤ 1e-6), the file's keys are torchvision's own
 * (the list torch-weights' torchvision_state_dicts.py took from {@code torchvision.models.resnet50()}) without
 * {@code fc.*}, and the BN-neck written under {@code ibreid.<branch>.bnneck.} turns the trunk's pooled feature into
 * the run's v. Two runs: a one-branch ResNet-50 with a BN-neck (width 4) and a three-branch ResNet-18 without one
 * (width 8), whose two-branch test feature makes {@code --branch} necessary.
 */
class SafetensorsExportTest {
  @TempDir
  static Path dir;
  static Path data;
  static Path r50;
  static Path r18;

  static String yaml(String name, Path root, String branches, String losses) {
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
        %s
        losses:
        %s
        schedule: {epochs: 2, batchesPerEpoch: 3}
        """.formatted(name, root, branches, losses);
  }

  @BeforeAll
  static void train() throws Exception {
    var resnet50 = Ibreid.plugins().all(io.ibreid.core.observation.EncoderFactory.KIND).get("resnet50");
    Assumptions.assumeTrue(resnet50 != null && resnet50.getClass().getName().startsWith("io.ibreid.encoders.fast."),
        "encoders-fast's torchvision ResNets are not on the class path");
    data = dir.resolve("sysu");
    r50 = dir.resolve("r50");
    r18 = dir.resolve("r18");
    String bottleneck = "bottleneck: {type: mlp, params: {dim: 4, hidden: [6]}}";
    Files.writeString(dir.resolve("r50.yaml"), yaml("st-r50", data, "  shared: {encoder: {type: resnet50, params: "
        + "{width: 4, lastStride: 1, bnNeck: true}}, " + bottleneck + "}", "  - {type: ce, branch: shared}"));
    Ibreid.train(dir.resolve("r50.yaml"), r50, TrainOptions.defaults());
    String e18 = "{encoder: {type: resnet18, params: {width: 8, lastStride: 2, bnNeck: false}}, " + bottleneck + "}";
    Files.writeString(dir.resolve("r18.yaml"), yaml("st-r18", data, "  visible: " + e18 + "\n  infrared: " + e18
        + "\n  shared: " + e18, "  - {type: ce, branch: visible}\n  - {type: ce, branch: infrared}\n"
        + "  - {type: ce, branch: shared}"));
    Ibreid.train(dir.resolve("r18.yaml"), r18, TrainOptions.defaults());
  }

  static List<Path> images(String camera, int n) throws Exception {
    try (Stream<Path> files = Files.walk(data.resolve(camera))) {
      return files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(n).toList();
    }
  }

  /** The run's config with {@code branch}'s encoder starting from {@code weights}: a fresh, untrained model. */
  static ReidModel fresh(Path run, String branch, Path weights) {
    RunConfig config = ConfigLoader.load(run.resolve("config.yaml"), List.of("branches." + branch
        + ".encoder.params.weights=" + weights, "branches." + branch + ".encoder.params.pretrained=none"));
    return ModelAssembly.model(config, Ibreid.plugins(), ImageShape.rgb(config.input.height, config.input.width),
        io.ibreid.core.run.TrainedRun.open(run, "best", Ibreid.plugins()).numClasses(), true);
  }

  static INDArray batch(List<Path> files, ImageShape shape) {
    ImageLoader loader = new ImageLoader(shape);
    int per = shape.channels() * shape.height() * shape.width();
    float[] all = new float[files.size() * per];
    for (int i = 0; i < files.size(); i++) {
      System.arraycopy(loader.load(files.get(i)), 0, all, i * per, per);
    }
    return Nd4j.create(all, shape.batchShape(files.size()), 'c');
  }

  /** The trunk's pooled output (before any BN-neck) of a branch, inference mode. */
  static INDArray trunk(ReidModel model, BranchRole role, INDArray images) {
    List<INDArray> in = new ArrayList<>();
    for (var b : model.branches()) {
      in.add(b.role() == role ? images : Nd4j.zeros(images.dataType(), model.imageShape().batchShape(1)));
    }
    Map<String, INDArray> all = model.graph().feedForward(in.toArray(INDArray[]::new), false, true);
    return all.get(role.prefix() + "trunk").castTo(DataType.DOUBLE);
  }

  static double maxDifference(FeatureMatrix a, FeatureMatrix b) {
    assertThat(a.rows()).isEqualTo(b.rows());
    assertThat(a.dim()).isEqualTo(b.dim());
    double max = 0;
    float[] x = new float[a.dim()];
    float[] y = new float[b.dim()];
    for (int r = 0; r < a.rows(); r++) {
      a.row(r, x);
      b.row(r, y);
      for (int j = 0; j < x.length; j++) {
        max = Math.max(max, Math.abs(x[j] - y[j]));
      }
    }
    return max;
  }

  static Map<String, List<Long>> shapes(StateDict sd, boolean torchvisionOnly) {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    sd.tensors().forEach((k, t) -> {
      if (!torchvisionOnly || !k.startsWith(SafetensorsExport.EXTRA_PREFIX)) {
        out.put(k, java.util.Arrays.stream(t.shape()).boxed().toList());
      }
    });
    return out;
  }

  @Test
  void aResNet50BackboneGoesOutUnderTorchvisionsKeysAndComesBackToTheSameFeatures() throws Exception {
    Embedder embedder = Embedder.open(r50);
    Path file = dir.resolve("r50.safetensors");
    SafetensorsExport.Result r = embedder.exportSafetensors(file, SafetensorsExport.Options.defaults());
    assertThat(r.branch()).isEqualTo("shared");
    assertThat(r.network()).isEqualTo("resnet50");
    assertThat(r.missingKeys()).containsExactly("fc.weight", "fc.bias");
    assertThat(r.extraKeys()).containsExactly("ibreid.shared.bnneck.weight", "ibreid.shared.bnneck.bias",
        "ibreid.shared.bnneck.running_mean", "ibreid.shared.bnneck.running_var",
        "ibreid.shared.bnneck.num_batches_tracked");
    assertThat(Files.size(file)).isEqualTo(r.bytes());

    // the keys: torchvision's resnet50() state dict without fc, in its order; the shapes at width 4; float32 and
    // int64 only
    StateDict sd = StateDict.read(file);
    Map<String, List<Long>> torchvision = new LinkedHashMap<>(Fixtures.torchvisionStateDict("resnet50"));
    torchvision.remove("fc.weight");
    torchvision.remove("fc.bias");
    assertThat(shapes(sd, true).keySet()).containsExactlyElementsOf(torchvision.keySet());
    Map<String, List<Long>> atWidth4 = new LinkedHashMap<>();
    TorchvisionResNet.RESNET50.stateDict(4, 0).forEach((k, s) -> atWidth4.put(k, java.util.Arrays.stream(s).boxed()
        .toList()));
    assertThat(shapes(sd, true)).containsExactlyEntriesOf(atWidth4);
    sd.tensors().forEach((k, t) -> assertThat(t.dtype()).as(k)
        .isEqualTo(k.endsWith("num_batches_tracked") ? DType.I64 : DType.F32));
    long iteration = ((Number) io.ibreid.core.run.Checkpoints.readState(embedder.checkpoint()).get("iteration"))
        .longValue();
    assertThat(iteration).isPositive();
    assertThat(sd.get("bn1.num_batches_tracked").toLongArray()).containsExactly(iteration);
    assertThat(sd.get("layer4.2.bn3.num_batches_tracked").toLongArray()).containsExactly(iteration);

    Map<String, String> meta = SafetensorsReader.metadata(file);
    assertThat(meta).containsEntry("format", "pt").containsEntry("ibreid.architecture", "torchvision.models.resnet50")
        .containsEntry("ibreid.encoder", "resnet50").containsEntry("ibreid.encoder.width", "4")
        .containsEntry("ibreid.encoder.lastStride", "1").containsEntry("ibreid.branch", "shared")
        .containsEntry("ibreid.input.height", "32").containsEntry("ibreid.input.width", "16")
        .containsEntry("ibreid.input.mean", "0.485,0.456,0.406").containsEntry("ibreid.input.std", "0.229,0.224,0.225")
        .containsEntry("ibreid.run.fingerprint", embedder.fingerprint())
        .containsEntry("ibreid.run.checkpoint", embedder.checkpoint().getFileName().toString())
        .containsEntry("ibreid.keys.missing", "fc.weight,fc.bias")
        .containsEntry("ibreid.keys.extra", String.join(",", r.extraKeys()));
    assertThat(meta).isEqualTo(r.metadata());

    // read back through the normal weights path into a fresh ResNet-50: the same trunk, to the last bit
    io.ibreid.core.run.TrainedRun trained = io.ibreid.core.run.TrainedRun.open(r50, "best", Ibreid.plugins());
    ReidModel fresh = fresh(r50, "shared", file);
    ImageShape shape = trained.model().imageShape();
    for (View view : View.values()) {
      INDArray x = batch(images(view == View.VISIBLE ? "cam1" : "cam3", 5), shape);
      INDArray before = trunk(trained.model(), BranchRole.SHARED, x);
      INDArray after = trunk(fresh, BranchRole.SHARED, x);
      assertThat(before.sub(after).amaxNumber().doubleValue()).as(view + " trunk").isLessThanOrEqualTo(1e-6);
      assertThat(before.getRow(0).sub(before.getRow(1)).amaxNumber().doubleValue()).isGreaterThan(1e-3);

      // the BN-neck as written (PyTorch's BatchNorm1d, eval mode) turns the trunk's output into the run's v
      INDArray v = trained.model().infer(BranchRole.SHARED, x, List.of("v")).get("v").castTo(DataType.DOUBLE);
      String neck = "ibreid.shared.bnneck.";
      INDArray gamma = vector(sd.get(neck + "weight"));
      INDArray beta = vector(sd.get(neck + "bias"));
      INDArray mean = vector(sd.get(neck + "running_mean"));
      INDArray var = vector(sd.get(neck + "running_var"));
      INDArray scale = gamma.div(org.nd4j.linalg.ops.transforms.Transforms.sqrt(var.add(1e-5)));
      INDArray pytorchV = before.subRowVector(mean).muliRowVector(scale).addiRowVector(beta);
      double vScale = v.amaxNumber().doubleValue();
      assertThat(pytorchV.sub(v).amaxNumber().doubleValue()).as(view + " v through the exported BN-neck")
          .isLessThanOrEqualTo(1e-5 * Math.max(1, vScale));
    }
  }

  static INDArray vector(Tensor t) {
    return Nd4j.create(t.toDoubleArray(), new long[] {1, t.numel()}, DataType.DOUBLE);
  }

  @Test
  void aMultiBranchRunNeedsBranchAndItsChoiceComesBackToTheSameFeatures() throws Exception {
    Embedder embedder = Embedder.open(r18);
    Path refused = dir.resolve("r18-refused.safetensors");
    assertThatThrownBy(() -> embedder.exportSafetensors(refused, SafetensorsExport.Options.defaults()))
        .isInstanceOf(IbreidException.class)
        .hasMessageContaining("uses branches [visible, shared, infrared]").hasMessageContaining("--branch")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> embedder.exportSafetensors(refused, new SafetensorsExport.Options("thermal")))
        .isInstanceOf(IbreidException.class)
        .hasMessage("--branch must be one of the run's branches [visible, infrared, shared], got [thermal]");
    assertThat(refused).doesNotExist();

    Path file = dir.resolve("r18-visible.safetensors");
    SafetensorsExport.Result r = embedder.exportSafetensors(file, new SafetensorsExport.Options("visible"));
    assertThat(r.extraKeys()).isEmpty(); // no BN-neck
    StateDict sd = StateDict.read(file);
    Map<String, List<Long>> torchvision = new LinkedHashMap<>(Fixtures.torchvisionStateDict("resnet18"));
    torchvision.remove("fc.weight");
    torchvision.remove("fc.bias");
    assertThat(sd.keys()).containsExactlyElementsOf(torchvision.keySet());

    // embed()'s code path (ModelFeatures.extract on image files) on v: the trained run's visible branch and a fresh
    // model whose visible encoder read the file
    io.ibreid.core.run.TrainedRun trained = io.ibreid.core.run.TrainedRun.open(r18, "best", Ibreid.plugins());
    ReidModel fresh = fresh(r18, "visible", file);
    List<String> keys = List.of("visible.v");
    ModelFeatures a = new ModelFeatures(trained.model(), keys, keys, new TrainingImageLoader(), 4, "test");
    ModelFeatures b = new ModelFeatures(fresh, keys, keys, new TrainingImageLoader(), 4, "test");
    for (View view : View.values()) {
      List<Path> files = images(view == View.VISIBLE ? "cam1" : "cam3", 6);
      FeatureMatrix before = a.extract(files, view);
      FeatureMatrix after = b.extract(files, view);
      assertThat(maxDifference(before, after)).as(view + " features").isLessThanOrEqualTo(1e-6);
    }
    // the other branches' weights are other weights: the choice is real
    Path shared = dir.resolve("r18-shared.safetensors");
    embedder.exportSafetensors(shared, new SafetensorsExport.Options("shared"));
    assertThat(StateDict.read(shared).differences(sd)).isNotEmpty();
  }

  @Test
  void anExistingFileIsReplacedWholeAndAFailedExportLeavesItAsItWas() throws Exception {
    Embedder embedder = Embedder.open(r50);
    Path file = dir.resolve("replaced.safetensors");
    Files.writeString(file, "old bytes");
    embedder.exportSafetensors(file, SafetensorsExport.Options.defaults());
    assertThat(StateDict.read(file).keys()).contains("conv1.weight");
    Path kept = dir.resolve("kept.safetensors");
    Files.writeString(kept, "old bytes");
    assertThatThrownBy(() -> embedder.exportSafetensors(kept, new SafetensorsExport.Options("visible")))
        .isInstanceOf(IbreidException.class).hasMessageContaining("--branch must be one of the run's branches [shared]");
    assertThat(Files.readString(kept)).isEqualTo("old bytes");
    Path blocker = dir.resolve("a-file");
    Files.writeString(blocker, "x");
    assertThatThrownBy(() -> embedder.exportSafetensors(blocker.resolve("b.safetensors"),
        SafetensorsExport.Options.defaults())).isInstanceOf(IbreidException.class)
        .hasMessage("cannot write " + blocker.resolve("b.safetensors") + ": " + blocker + " is a file, not a folder")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> embedder.exportSafetensors(dir, SafetensorsExport.Options.defaults()))
        .isInstanceOf(IbreidException.class).hasMessageContaining("is a directory");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }
}
