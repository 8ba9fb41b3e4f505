package io.ibreid.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TensorTest {
  static ByteBuffer floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.flip();
  }

  @Test
  void stridesAndOffsetsLayOutTheStorage() {
    ByteBuffer s = floats(0, 1, 2, 3, 4, 5, 6, 7);
    Tensor t = Tensor.fromStorage(DType.F32, new long[] {2, 3}, new long[] {1, 2}, 1, s);
    assertThat(t.toFloatArray()).containsExactly(1, 3, 5, 2, 4, 6);
    assertThat(Tensor.fromStorage(DType.F32, new long[] {2, 2}, null, 4, s).toFloatArray()).containsExactly(4, 5, 6, 7);
    assertThat(Tensor.fromStorage(DType.F32, new long[] {0, 5}, null, 0, s).numel()).isZero();
  }

  @Test
  void aTensorPastItsStorageOrWithBadStridesIsRefused() {
    ByteBuffer s = floats(0, 1, 2, 3);
    assertThatThrownBy(() -> Tensor.fromStorage(DType.F32, new long[] {2, 2}, null, 1, s))
        .hasMessage("shape [2, 2] with strides [2, 1] at offset 1 needs 5 storage elements, the storage holds 4");
    assertThatThrownBy(() -> Tensor.fromStorage(DType.F32, new long[] {2}, new long[] {-1}, 1, s))
        .hasMessage("negative stride in [-1]");
    assertThatThrownBy(() -> Tensor.fromStorage(DType.F32, new long[] {2}, new long[] {Long.MAX_VALUE}, 0, s))
        .hasMessage("shape [2] with strides [9223372036854775807] at offset 0 needs 2^63 or more storage elements, "
            + "the storage holds 4");
    assertThatThrownBy(() -> Tensor.fromStorage(DType.F32, new long[] {3}, new long[] {Long.MAX_VALUE}, 0, s))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 2^63 or more storage elements");
    assertThatThrownBy(() -> Tensor.fromStorage(DType.F32, new long[] {1L << 40}, null, 0, s))
        .hasMessageContaining("more than " + Tensor.MAX_ELEMENTS + " cannot be read");
    assertThatThrownBy(() -> Tensor.numel(new long[] {1L << 32, 1L << 32}))
        .hasMessage("shape [4294967296, 4294967296] has more than 2^63 elements");
  }

  @Test
  void halfPrecisionWidensExactly() {
    assertThat(Tensor.halfToFloat((short) 0x3c00)).isEqualTo(1f);
    assertThat(Tensor.halfToFloat((short) 0xc000)).isEqualTo(-2f);
    assertThat(Tensor.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
    assertThat(Tensor.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    assertThat(Tensor.halfToFloat((short) 0x03ff)).isEqualTo(1023 * 0x1p-24f);
    assertThat(Tensor.halfToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
    assertThat(Float.floatToRawIntBits(Tensor.halfToFloat((short) 0x8000))).isEqualTo(0x80000000);
    assertThat(Tensor.halfToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(Tensor.halfToFloat((short) 0x7e00)).isNaN();
    float previous = -1;
    for (int h = 0; h < 0x7c00; h++) { // every finite positive half, strictly increasing, 11 significant bits
      float f = Tensor.halfToFloat((short) h);
      assertThat(f).isGreaterThan(previous);
      assertThat(Float.floatToRawIntBits(f) & 0x1fff).isZero();
      previous = f;
    }
  }
}
