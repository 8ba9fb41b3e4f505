package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.weights.StateDict;
import io.ibreid.weights.safetensors.SafetensorsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ibreid export --format safetensors} on a run trained through the command line whose branches mix encoders
 * (visible: {@code fast-resnet}; infrared and shared: torchvision's ResNet-18 at width 2): the file it writes and
 * what it prints, and each bad request as one line with exit status 2 and nothing left behind — a test feature of
 * several branches without {@code --branch}, an unknown branch, a {@code fast-resnet} branch, an unknown format, an
 * unwritable path, a folder as {@code --out}, ONNX-only options, an existing {@code --out} without
 * {@code --overwrite} (left as it was) — and an existing {@code --out} replaced whole with {@code --overwrite}.
 */
class SafetensorsExportCommandTest {
  @TempDir
  static Path dir;
  static Path run;

  @BeforeAll
  static void train() throws Exception {
    Path data = dir.resolve("sysu");
    IbreidCliTest.Result synth = IbreidCliTest.run("synth", "--layout", "sysu", "--out", data.toString(), "--ids",
        "8", "--test-ids", "4", "--size", "32x16", "--images", "2", "--camera-presence", "1");
    assertThat(synth.code()).as(synth.err()).isZero();
    String bottleneck = "bottleneck: {type: mlp, params: {dim: 4, hidden: []}}";
    String r18 = "{encoder: {type: resnet18, params: {width: 2, bnNeck: true}}, " + bottleneck + "}";
    Path cfg = Files.writeString(dir.resolve("c.yaml"), """
        name: st
        seed: 3
        data: {type: sysu, root: %s, workers: 1, params: {holdout: 2}}
        input: {height: 32, width: 16}
        sampler: {identities: 3, instances: 2}
        branches:
          visible: {encoder: {type: fast-resnet, params: {width: 4, stages: [1], observationSize: 8}}, %s}
          infrared: %s
          shared: %s
        losses:
          - {type: ce, branch: visible}
          - {type: ce, branch: infrared}
          - {type: ce, branch: shared}
        schedule: {epochs: 1, batchesPerEpoch: 2}
        """.formatted(data, bottleneck, r18, r18));
    run = dir.resolve("run");
    IbreidCliTest.Result train = IbreidCliTest.run("train", "--config", cfg.toString(), "--out", run.toString(),
        "--quiet");
    assertThat(train.code()).as(train.err()).isZero();
  }

  static IbreidCliTest.Result export(Path out, String... more) {
    String[] args = new String[6 + more.length];
    System.arraycopy(new String[] {"export", "--run", run.toString(), "--out", out.toString(), "--format"}, 0, args,
        0, 6);
    System.arraycopy(more, 0, args, 6, more.length);
    return IbreidCliTest.run(args);
  }

  static void nothingLeft() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".tmp") || n.startsWith("bad"));
    }
  }

  @Test
  void writesTheChosenBranchsBackboneUnderTorchvisionsKeys() throws Exception {
    Path out = dir.resolve("shared.safetensors");
    IbreidCliTest.Result r = export(out, "safetensors", "--branch", "shared");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("wrote " + out).contains("125 tensors")
        .contains("branch shared's resnet18 under torchvision's keys (width 2, last stride 1)")
        .contains("torchvision.models.resnet18().load_state_dict(..., strict=False): missing [fc.weight, fc.bias]; "
            + "unexpected [ibreid.shared.bnneck.weight, ibreid.shared.bnneck.bias, ibreid.shared.bnneck.running_mean, "
            + "ibreid.shared.bnneck.running_var, ibreid.shared.bnneck.num_batches_tracked]");
    StateDict sd = StateDict.read(out);
    assertThat(sd.size()).isEqualTo(122 - 2 + 5); // torchvision's 122 keys without fc, the BN-neck's 5
    assertThat(sd.keys()).startsWith("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
        "bn1.running_var", "bn1.num_batches_tracked", "layer1.0.conv1.weight");
    assertThat(SafetensorsReader.metadata(out)).containsEntry("ibreid.branch", "shared")
        .containsEntry("ibreid.run.name", "st").containsEntry("ibreid.architecture", "torchvision.models.resnet18");
  }

  @Test
  void anExistingOutIsKeptUnlessOverwriteIsGivenThenReplacedWhole() throws Exception {
    Path out = dir.resolve("existing.safetensors");
    Files.writeString(out, "an older file");
    DeploymentCommandsTest.oneLine(export(out, "safetensors", "--branch", "infrared"),
        "--out " + out + " already exists; pass --overwrite to replace it");
    assertThat(out).hasContent("an older file");
    IbreidCliTest.Result r = export(out, "safetensors", "--branch", "infrared", "--overwrite");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(SafetensorsReader.metadata(out)).containsEntry("ibreid.branch", "infrared");
    // a refused export leaves the existing file as it was, even with --overwrite
    IbreidCliTest.Result refused = export(out, "safetensors", "--branch", "visible", "--overwrite");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(SafetensorsReader.metadata(out)).containsEntry("ibreid.branch", "infrared");
    nothingLeft();
  }

  @Test
  void badRequestsAreOneLineAndLeaveNothing() throws Exception {
    DeploymentCommandsTest.oneLine(export(dir.resolve("bad-1.safetensors"), "safetensors"),
        "uses branches [visible, shared, infrared]; choose the backbone to export with --branch "
            + "visible|infrared|shared");
    DeploymentCommandsTest.oneLine(export(dir.resolve("bad-2.safetensors"), "safetensors", "--branch", "thermal"),
        "--branch must be one of the run's branches [visible, infrared, shared], got [thermal]");
    DeploymentCommandsTest.oneLine(export(dir.resolve("bad-3.safetensors"), "safetensors", "--branch", "visible"),
        "cannot export branch visible as safetensors: its encoder fast-resnet is ibreid's own network");
    DeploymentCommandsTest.oneLine(export(dir.resolve("bad-4.pt"), "torchscript", "--branch", "shared"),
        "--format must be one of [onnx, safetensors], got [torchscript]");
    Path file = dir.resolve("bad-plain-file");
    Files.writeString(file, "x");
    DeploymentCommandsTest.oneLine(export(file.resolve("m.safetensors"), "safetensors", "--branch", "shared"),
        "cannot write " + file.resolve("m.safetensors") + ": " + file + " is a file, not a folder");
    Files.delete(file);
    Path folder = Files.createDirectories(dir.resolve("bad-folder"));
    DeploymentCommandsTest.oneLine(export(folder, "safetensors", "--branch", "shared"),
        "cannot write " + folder + ": it is a directory");
    try (Stream<Path> inside = Files.list(folder)) {
      assertThat(inside).isEmpty();
    }
    Files.delete(folder);
    DeploymentCommandsTest.oneLine(export(dir.resolve("bad-5.onnx"), "onnx", "--branch", "shared"),
        "--branch is for --format safetensors");
    DeploymentCommandsTest.oneLine(export(dir.resolve("bad-6.safetensors"), "safetensors", "--branch", "shared",
        "--view", "visible"), "--view and --normalise-whole are for --format onnx");
    nothingLeft();
  }
}
