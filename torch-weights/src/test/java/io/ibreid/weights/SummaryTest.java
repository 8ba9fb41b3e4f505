package io.ibreid.weights;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.weights.pretrained.TorchvisionResNet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {
  @Test
  void listsKeysDtypesAndShapes() {
    StateDict sd = Fixtures.stateDict("views.safetensors");
    List<String> lines = StateDictSummary.of(sd);
    assertThat(lines.get(0)).isEqualTo(sd.source() + ": safetensors, 14 tensors, 84 elements (float64 x 1, "
        + "float32 x 4, float16 x 1, bfloat16 x 1, int64 x 2, int32 x 1, int16 x 1, int8 x 1, uint8 x 1, bool x 1)");
    assertThat(lines).hasSize(15);
    assertThat(lines.get(2)).isEqualTo("  float.transposed  float32   [4, 3, 2]");
    assertThat(lines.get(13)).isEqualTo("  scalar            int64     []");
  }

  @Test
  void showsHowACheckpointMapsToAModel() {
    StateDict sd = Fixtures.stateDict("reid-checkpoint.pth");
    Map<String, long[]> expected = new LinkedHashMap<>(TorchvisionResNet.RESNET18.keys(2, 0));
    expected.put("layer1.0.conv1.weight", new long[] {2, 2, 1, 1});
    expected.put("extra.weight", new long[] {3});
    KeyMapping m = KeyMapping.of(sd, expected, Prefix.auto());
    List<String> lines = StateDictSummary.of(m, expected).stream().map(l -> l.replaceAll("  +", "  ")).toList();
    assertThat(lines.get(0)).startsWith(sd.source() + ": PyTorch zip, 123 tensors, ").endsWith(
        "(float32 x 103, int64 x 20); skipped (not tensors): epoch, mAP, cmc");
    assertThat(lines.get(1)).isEqualTo(m.report());
    assertThat(lines).contains(
        "  conv1.weight  <- net.module.base.conv1.weight  float32 [2, 3, 7, 7]",
        "  layer1.0.conv1.weight  SHAPE [2, 2, 3, 3] in the file (net.module.base.layer1.0.conv1.weight), "
            + "[2, 2, 1, 1] in the model",
        "  extra.weight  MISSING (net.module.base.extra.weight)",
        "  unused net.module.base.fc.weight  float32 [10, 16]",
        "  unused net.module.classifier.weight  float32 [7, 16]");
    assertThat(lines).hasSize(2 + 101 + 3);
  }
}
