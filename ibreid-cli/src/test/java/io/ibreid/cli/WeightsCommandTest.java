package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.weights.Fixtures;
import io.ibreid.weights.StateDict;
import io.ibreid.weights.Tensor;
import io.ibreid.weights.WeightsFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ibreid weights} on the files PyTorch wrote (torch-weights' fixtures): what a file holds, how it maps onto a
 * torchvision ResNet (prefix found, unused keys), the conversion of a Re-ID checkpoint's backbone to .safetensors,
 * and one line (status 2, nothing written) for a missing file, another architecture and a wrong prefix.
 */
class WeightsCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "weights";
    System.arraycopy(args, 0, all, 1, args.length);
    return IbreidCli.run(all, new PrintWriter(out), new PrintWriter(err));
  }

  private static String fixture(String name) {
    return Fixtures.path(name).toString();
  }

  @Test
  void listsWhatAFileHolds() {
    assertThat(run(fixture("resnet50-w4-legacy.pth"))).isZero();
    String text = out.toString();
    assertThat(text.lines().findFirst().orElseThrow()).contains("resnet50-w4-legacy.pth: ").contains("tensors");
    assertThat(text).containsPattern("(?m)^  layer4\\.2\\.conv3\\.weight\\s+float32\\s+\\[128, 32, 1, 1\\]$")
        .contains("fc.bias");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void mapsACheckpointOntoTheEncoderAndConvertsItsBackbone(@TempDir Path dir) {
    Path converted = dir.resolve("r18.safetensors");
    assertThat(run(fixture("reid-checkpoint.pth"), "--encoder", "resnet18", "--width", "2", "--convert",
        converted.toString())).as(err.toString()).isZero();
    String text = out.toString();
    assertThat(text).contains("prefix 'net.module.base.'").contains("unused: net.module.base.fc.weight, net.module.base.fc.bias, net.module.classifier.weight")
        .contains("missing: none")
        .containsPattern("(?m)^  layer1\\.0\\.conv1\\.weight\\s+<- net\\.module\\.base\\.layer1\\.0\\.conv1\\.weight")
        .contains("wrote " + converted);
    StateDict written = StateDict.read(converted);
    StateDict original = Fixtures.stateDict("resnet18-w2.pth");
    assertThat(written.format()).isEqualTo(WeightsFormat.SAFETENSORS);
    // the checkpoint holds resnet18-w2.pth under its prefix: the same keys (fc and 20 num_batches_tracked included),
    // its own classifier left out
    assertThat(written.keys()).containsExactlyInAnyOrderElementsOf(original.keys());
    assertThat(countBatches(written)).isEqualTo(20);
    assertThat(text).contains("wrote " + converted + ": 122 tensors of resnet18 under torchvision's names (with fc, "
        + "20 num_batches_tracked, as in the file)");
    for (Map.Entry<String, Tensor> e : written.tensors().entrySet()) {
      assertThat(e.getValue().bitwiseEquals(original.get(e.getKey()))).as(e.getKey()).isTrue();
    }
  }

  /**
   * A torchvision ResNet's file converts to exactly its own keys, tensor for tensor: PyTorch's
   * {@code load_state_dict(strict=True)} of the converted file then reports nothing missing. Its 53 int64
   * {@code num_batches_tracked} buffers are kept with their values.
   */
  @Test
  void aTorchvisionFileConvertsToExactlyItsKeys(@TempDir Path dir) {
    Path converted = dir.resolve("r50.safetensors");
    assertThat(run(fixture("resnet50-w4.pth"), "--encoder", "resnet50", "--width", "4", "--convert",
        converted.toString())).as(err.toString()).isZero();
    StateDict source = Fixtures.stateDict("resnet50-w4.pth");
    StateDict written = StateDict.read(converted);
    assertThat(source.keys()).hasSize(320);
    assertThat(countBatches(source)).isEqualTo(53);
    assertThat(written.keys()).containsExactlyInAnyOrderElementsOf(source.keys());
    for (String k : source.keys()) {
      assertThat(written.get(k).bitwiseEquals(source.get(k))).as(k).isTrue();
    }
    assertThat(written.get("layer4.2.bn3.num_batches_tracked").shape()).isEmpty();
    assertThat(out.toString()).contains("320 tensors of resnet50 under torchvision's names (with fc, 53 "
        + "num_batches_tracked, as in the file)");
  }

  /**
   * A 2017-style file without num_batches_tracked converts without them: nothing is invented. (PyTorch still loads the
   * result with strict=True: a batch norm fills a missing counter with 0 when the state dict carries no version
   * metadata, as a safetensors file's does not; checked with PyTorch 1.13.)
   */
  @Test
  void aFileWithoutBatchCountersConvertsWithoutThem(@TempDir Path dir) {
    Path converted = dir.resolve("r18.safetensors");
    assertThat(run(fixture("resnet18-w2-v0.1.pth"), "--encoder", "resnet18", "--width", "2", "--convert",
        converted.toString())).as(err.toString()).isZero();
    StateDict source = Fixtures.stateDict("resnet18-w2-v0.1.pth");
    StateDict written = StateDict.read(converted);
    assertThat(countBatches(source)).isZero();
    assertThat(written.keys()).containsExactlyInAnyOrderElementsOf(source.keys());
    for (String k : source.keys()) {
      assertThat(written.get(k).bitwiseEquals(source.get(k))).as(k).isTrue();
    }
  }

  private static int countBatches(StateDict sd) {
    return (int) sd.keys().stream().filter(k -> k.endsWith("num_batches_tracked")).count();
  }

  @Test
  void weightsOfAnotherArchitectureAreOneLineAndNothingIsWritten(@TempDir Path dir) {
    Path converted = dir.resolve("x.safetensors");
    assertThat(run(fixture("resnet18-w2.pth"), "--encoder", "resnet50", "--width", "2", "--convert",
        converted.toString())).isEqualTo(2);
    assertThat(err.toString().trim()).startsWith("ibreid: " + fixture("resnet18-w2.pth") + ": ")
        .contains("in the file").contains("in the model").doesNotContain("\n");
    assertThat(converted).doesNotExist();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void aWrongPrefixIsOneLine() {
    assertThat(run(fixture("resnet50-w4.pth"), "--encoder", "resnet50", "--width", "4", "--prefix", "base"))
        .isEqualTo(2);
    assertThat(err.toString().trim()).startsWith("ibreid: ").contains("under prefix 'base.'")
        .doesNotContain("\n");
  }

  @Test
  void aMissingFileIsOneLine(@TempDir Path dir) {
    assertThat(run(dir.resolve("resnet50-0676ba61.pth").toString(), "--encoder", "resnet50")).isEqualTo(2);
    assertThat(err.toString().trim()).isEqualTo("ibreid: weights file " + dir.resolve("resnet50-0676ba61.pth")
        + " does not exist (expected a PyTorch state dict: .pth or .safetensors)");
  }

  @Test
  void convertNeverOverwrites(@TempDir Path dir) throws Exception {
    Path existing = Files.writeString(dir.resolve("keep.safetensors"), "mine");
    assertThat(run(fixture("resnet50-w4.pth"), "--encoder", "resnet50", "--width", "4", "--convert",
        existing.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("already exists");
    assertThat(Files.readString(existing)).isEqualTo("mine");
  }
}
