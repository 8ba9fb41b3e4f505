package io.ibreid.weights.pretrained;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.weights.Fixtures;
import io.ibreid.weights.StateDict;
import io.ibreid.weights.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TorchvisionResNetTest {
  static Map<String, List<Long>> withoutCounters(StateDict sd) {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    sd.tensors().forEach((k, t) -> {
      if (!k.endsWith("num_batches_tracked")) {
        out.put(k, boxed(t.shape()));
      }
    });
    return out;
  }

  static Map<String, List<Long>> boxed(Map<String, long[]> keys) {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    keys.forEach((k, s) -> out.put(k, boxed(s)));
    return out;
  }

  static List<Long> boxed(long[] s) {
    return java.util.Arrays.stream(s).boxed().toList();
  }

  @Test
  void layoutIsWhatPyTorchWroteAtReducedWidth() {
    assertThat(boxed(TorchvisionResNet.RESNET50.keys(4, 10)))
        .containsExactlyEntriesOf(withoutCounters(Fixtures.stateDict("resnet50-w4.pth")));
    assertThat(boxed(TorchvisionResNet.RESNET18.keys(2, 10)))
        .containsExactlyEntriesOf(withoutCounters(Fixtures.stateDict("resnet18-w2.pth")));
  }

  /**
   * {@link TorchvisionResNet#stateDict} is torchvision's own {@code state_dict()} layout, key for key in its order
   * with every shape and the {@code num_batches_tracked} buffers: at full width against the list
   * torchvision_state_dicts.py took from {@code torchvision.models.resnetNN()}, at reduced width against the file
   * PyTorch wrote.
   */
  @Test
  void stateDictIsTorchvisionsKeyForKey() {
    for (TorchvisionResNet net : TorchvisionResNet.values()) {
      assertThat(boxed(net.stateDict(64, 1000))).as(net.id())
          .containsExactlyEntriesOf(Fixtures.torchvisionStateDict(net.id()));
    }
    assertThat(TorchvisionResNet.RESNET50.stateDict(64, 1000)).hasSize(320);
    Map<String, List<Long>> written = new LinkedHashMap<>();
    Fixtures.stateDict("resnet50-w4.pth").tensors().forEach((k, t) -> written.put(k, boxed(t.shape())));
    assertThat(boxed(TorchvisionResNet.RESNET50.stateDict(4, 10))).containsExactlyEntriesOf(written);
  }

  /** torchvision's own parameter counts (its weights' metadata, num_params): weights and biases, no buffers. */
  @Test
  void fullWidthParameterCountsAreTorchvisions() {
    assertThat(parameters(TorchvisionResNet.RESNET18)).isEqualTo(11_689_512L);
    assertThat(parameters(TorchvisionResNet.RESNET34)).isEqualTo(21_797_672L);
    assertThat(parameters(TorchvisionResNet.RESNET50)).isEqualTo(25_557_032L);
    assertThat(parameters(TorchvisionResNet.RESNET101)).isEqualTo(44_549_160L);
    assertThat(TorchvisionResNet.RESNET50.featureWidth(64)).isEqualTo(2048);
    assertThat(TorchvisionResNet.RESNET18.featureWidth(64)).isEqualTo(512);
  }

  static long parameters(TorchvisionResNet net) {
    long n = 0;
    for (Map.Entry<String, long[]> e : net.keys(64, 1000).entrySet()) {
      if (!e.getKey().contains("running_")) {
        n += Tensor.numel(e.getValue());
      }
    }
    return n;
  }

  @Test
  void filesAndUrlsAreTorchvisions() {
    assertThat(TorchvisionResNet.RESNET50.url()).isEqualTo("https://download.pytorch.org/models/resnet50-0676ba61.pth");
    assertThat(TorchvisionResNet.RESNET50.legacyFileName()).isEqualTo("resnet50-19c8e357.pth");
    assertThat(TorchvisionResNet.of("resnet101")).isEqualTo(TorchvisionResNet.RESNET101);
    assertThat(TorchvisionResNet.of("resnet152")).isNull();
    assertThat(TorchvisionResNet.RESNET50.keys(64, 0)).doesNotContainKey("fc.weight").hasSize(265);
  }
}
