package io.ibreid.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import io.ibreid.weights.safetensors.SafetensorsReader;
import io.ibreid.weights.safetensors.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link SafetensorsWriter} writes reads back bit for bit (float32, float64, int64, in order, empty and 0-d
 * tensors) through the reader, leaving no temporary file, and an existing file is never overwritten unless asked.
 */
class SafetensorsWriterTest {
  @Test
  void aStateDictWrittenReadsBackBitForBit(@TempDir Path dir) throws Exception {
    StateDict zip = Fixtures.stateDict("resnet50-w4.pth");
    Path out = dir.resolve("r50.safetensors");
    SafetensorsWriter.write(out, zip.tensors(), Map.of("format", "pt"));
    StateDict back = StateDict.read(out);
    assertThat(back.format()).isEqualTo(WeightsFormat.SAFETENSORS);
    assertThat(List.copyOf(back.keys())).isEqualTo(List.copyOf(zip.keys()));
    assertThat(zip.differences(back)).isEmpty();
    assertThat(dir).isDirectoryContaining(p -> p.equals(out));
    try (var files = java.nio.file.Files.list(dir)) {
      assertThat(files.count()).as("no temporary file left").isEqualTo(1);
    }
  }

  @Test
  void doublesAndIntegersKeepTheirTypes(@TempDir Path dir) {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("d", Tensor.ofDoubles(new long[] {2, 2}, new double[] {1.0 / 3, -0.0, Double.MIN_VALUE, 1e300}));
    t.put("n", Tensor.ofLongs(new long[] {}, new long[] {Long.MAX_VALUE}));
    t.put("e", Tensor.ofFloats(new long[] {0, 3}, new float[0]));
    Path out = dir.resolve("x.safetensors");
    SafetensorsWriter.write(out, t, null);
    StateDict back = StateDict.read(out);
    for (Map.Entry<String, Tensor> e : t.entrySet()) {
      assertThat(back.get(e.getKey()).bitwiseEquals(e.getValue())).as(e.getKey()).isTrue();
    }
  }

  @Test
  void anExistingFileIsNotOverwritten(@TempDir Path dir) throws Exception {
    Path out = Files.writeString(dir.resolve("keep.safetensors"), "mine");
    assertThatThrownBy(() -> SafetensorsWriter.write(out, Map.of(), null)).isInstanceOf(IbreidException.class)
        .hasMessage(out + " already exists; not overwritten (remove it or choose another name)");
    assertThat(Files.readString(out)).isEqualTo("mine");
  }

  /** With {@code replace}, an existing file is replaced whole; the header's metadata reads back in order. */
  @Test
  void replaceReplacesAndTheMetadataReadsBack(@TempDir Path dir) throws Exception {
    Path out = Files.writeString(dir.resolve("old.safetensors"), "mine");
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "pt");
    meta.put("ibreid.keys.extra", "a,b");
    SafetensorsWriter.write(out, Map.of("x", Tensor.ofFloats(new long[] {2}, new float[] {1, 2})), meta, true);
    assertThat(SafetensorsReader.metadata(out)).containsExactlyEntriesOf(meta);
    assertThat(StateDict.read(out).get("x").toFloatArray()).containsExactly(1f, 2f);
    try (var files = Files.list(dir)) {
      assertThat(files.count()).as("no temporary file left").isEqualTo(1);
    }
    Path plain = Files.writeString(dir.resolve("plain"), "x");
    assertThatThrownBy(() -> SafetensorsWriter.write(plain.resolve("y.safetensors"), Map.of(), null, true))
        .isInstanceOf(IbreidException.class).hasMessage("cannot write " + plain.resolve("y.safetensors") + ": " + plain + " is a file, not a folder");
    assertThat(SafetensorsReader.metadata(Fixtures.path("views.safetensors"))).isNotNull();
  }
}
