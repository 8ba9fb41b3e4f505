package io.ibreid.weights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every format PyTorch wrote loads to the same tensors, with the keys, dtypes and shapes the generator recorded. */
class FormatsTest {
  static JsonNode manifest() throws Exception {
    return new ObjectMapper().readTree(Fixtures.path("fixtures.json").toFile());
  }

  /** The generator's record of a state dict: key to "dtype [shape]", in PyTorch's order. */
  static Map<String, String> recorded(String name) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode e : manifest().get("state_dicts").get(name)) {
      List<Long> shape = new ArrayList<>();
      e.get("shape").forEach(s -> shape.add(s.asLong()));
      out.put(e.get("key").asText(), e.get("dtype").asText() + " " + shape);
    }
    return out;
  }

  static Map<String, String> described(StateDict sd) {
    Map<String, String> out = new LinkedHashMap<>();
    sd.tensors().forEach((k, t) -> out.put(k, t.toString()));
    return out;
  }

  @Test
  void resnet50InAllThreeFormatsHoldsTheSameTensorsBitForBit() throws Exception {
    StateDict zip = Fixtures.stateDict("resnet50-w4.pth");
    StateDict legacy = Fixtures.stateDict("resnet50-w4-legacy.pth");
    StateDict safetensors = Fixtures.stateDict("resnet50-w4.safetensors");
    assertThat(zip.format()).isEqualTo(WeightsFormat.PTH_ZIP);
    assertThat(legacy.format()).isEqualTo(WeightsFormat.PTH_LEGACY);
    assertThat(safetensors.format()).isEqualTo(WeightsFormat.SAFETENSORS);

    Map<String, String> recorded = recorded("resnet50-w4");
    assertThat(recorded).hasSize(267 + 53); // 161 weights and biases, 106 running statistics, 53 counters
    assertThat(described(zip)).containsExactlyEntriesOf(recorded);
    assertThat(zip.differences(legacy)).isEmpty();
    assertThat(zip.differences(safetensors)).isEmpty();
    assertThat(List.copyOf(legacy.keys())).isEqualTo(List.copyOf(zip.keys()));
    assertThat(List.copyOf(safetensors.keys())).isEqualTo(List.copyOf(zip.keys()));
    assertThat(zip.get("bn1.num_batches_tracked").dtype()).isEqualTo(DType.I64);
    assertThat(zip.get("bn1.num_batches_tracked").toLongArray()[0]).isBetween(1L, 999L);
    assertThat(zip.skipped()).isEmpty();
  }

  @Test
  void pyTorch01StreamReadsLikeTheZipFile() throws Exception {
    StateDict zip = Fixtures.stateDict("resnet18-w2.pth");
    StateDict old = Fixtures.stateDict("resnet18-w2-v0.1.pth");
    assertThat(old.format()).isEqualTo(WeightsFormat.PTH_LEGACY);
    assertThat(described(zip)).containsExactlyEntriesOf(recorded("resnet18-w2"));
    List<String> withoutCounters = new ArrayList<>();
    zip.keys().stream().filter(k -> !k.endsWith("num_batches_tracked")).forEach(withoutCounters::add);
    assertThat(List.copyOf(old.keys())).isEqualTo(withoutCounters);
    for (String k : old.keys()) {
      assertThat(old.get(k).bitwiseEquals(zip.get(k))).as(k).isTrue();
    }
  }

  @Test
  void viewsAndDtypesReadTheSameFromEveryFormat() throws Exception {
    StateDict zip = Fixtures.stateDict("views.pth");
    assertThat(described(zip)).containsExactlyEntriesOf(recorded("views"));
    assertThat(zip.differences(Fixtures.stateDict("views-legacy.pth"))).isEmpty();
    assertThat(zip.differences(Fixtures.stateDict("views.safetensors"))).isEmpty();
  }

  @Test
  void viewsHoldTheValuesPyTorchComputed() {
    StateDict sd = Fixtures.stateDict("views-legacy.pth");
    // base = arange(24).reshape(2, 3, 4); transposed(0, 2)[i][j][k] = base[k][j][i] = 12k + 4j + i
    float[] transposed = sd.get("float.transposed").toFloatArray();
    assertThat(sd.get("float.transposed").shape()).containsExactly(4, 3, 2);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 2; k++) {
          assertThat(transposed[i * 6 + j * 2 + k]).isEqualTo(12f * k + 4 * j + i);
        }
      }
    }
    // base[1, 1:, ::2]: rows 1..2 of the second matrix, columns 0 and 2 -> 16, 18, 20, 22
    assertThat(sd.get("float.sliced").toFloatArray()).containsExactly(16f, 18f, 20f, 22f);
    // arange(6).reshape(3, 2).t() / 3
    assertThat(sd.get("double").toDoubleArray()).containsExactly(0 / 3.0, 2 / 3.0, 4 / 3.0, 1 / 3.0, 3 / 3.0, 5 / 3.0);
    assertThat(sd.get("half").toFloatArray())
        .containsExactly(0.5f, -2f, 65504f, 0x1p-14f, 0x1p-24f, Float.POSITIVE_INFINITY);
    assertThat(sd.get("bfloat16").dtype()).isEqualTo(DType.BF16);
    float[] bf = sd.get("bfloat16").toFloatArray();
    assertThat(bf[0]).isEqualTo(1f);
    assertThat(bf[1]).isEqualTo(-3.140625f);
    assertThat(Float.floatToRawIntBits(bf[2]) & 0xffff).isZero(); // a bfloat16 is the top half of a float
    assertThat(bf[2]).isCloseTo(1e38f, org.assertj.core.data.Percentage.withPercentage(0.5));
    assertThat(sd.get("long").toLongArray()).containsExactly(-(1L << 62), -1, 0, (1L << 62) + 7);
    assertThat(sd.get("int").toLongArray()).containsExactly(Integer.MIN_VALUE, Integer.MAX_VALUE);
    assertThat(sd.get("short").toLongArray()).containsExactly(-32768, 32767);
    assertThat(sd.get("char").toLongArray()).containsExactly(-128, 127);
    assertThat(sd.get("byte").toLongArray()).containsExactly(0, 255);
    assertThat(sd.get("bool").toLongArray()).containsExactly(1, 0, 1);
    assertThat(sd.get("scalar").shape()).isEmpty();
    assertThat(sd.get("scalar").toLongArray()).containsExactly(42);
    assertThat(sd.get("empty").shape()).containsExactly(0, 3);
    assertThat(sd.get("empty").numel()).isZero();
  }

  @Test
  void aLegacyStorageViewIsItsSliceOfTheRootStorage() {
    StateDict sd = Fixtures.stateDict("storage-view-v0.1.pth");
    assertThat(sd.get("a").shape()).containsExactly(2, 2);
    assertThat(sd.get("a").toFloatArray()).containsExactly(3f, 4f, 5f, 6f);
    assertThat(sd.get("b").toFloatArray()).containsExactly(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f);
  }

  @Test
  void aReidCheckpointIsFlattenedAndItsOtherValuesSkipped() throws Exception {
    StateDict sd = Fixtures.stateDict("reid-checkpoint.pth");
    Map<String, String> expected = new LinkedHashMap<>();
    recorded("reid-checkpoint").forEach((k, v) -> expected.put("net." + k, v));
    assertThat(described(sd)).containsExactlyEntriesOf(expected);
    assertThat(sd.skipped()).containsExactly("epoch", "mAP", "cmc");
    StateDict plain = Fixtures.stateDict("resnet18-w2.pth");
    for (String k : plain.keys()) {
      assertThat(sd.get("net.module.base." + k).bitwiseEquals(plain.get(k))).as(k).isTrue();
    }
  }

  @Test
  void theNeckIsASafetensorsStateDict() throws Exception {
    StateDict neck = Fixtures.stateDict("resnet50-w4-neck.safetensors");
    assertThat(described(neck)).containsExactlyEntriesOf(recorded("resnet50-w4-neck"));
  }
}
