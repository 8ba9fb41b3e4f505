package io.ibreid.encoders.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ibreid.core.natives.NativeRuntime;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Which kernels a trunk gets: oneDNN's only for float NHWC with oneDNN's binding loaded and direct kernels allowed;
 * libnd4j's for double precision, NCHW, or when direct kernels are not allowed; and with oneDNN's kernels, libnd4j's
 * convolution for the strided 1×1 convolutions {@link DnnlConv#supports} refuses.
 */
class TrunkKernelsTest {
  static TrunkLayer conf(String dataFormat) {
    return new TrunkLayer.Builder().dataFormat(dataFormat).build();
  }

  @Test
  void libnd4jForDoublePrecisionAndNchw() {
    assertThat(TrunkKernels.choose(conf("NHWC"), DataType.DOUBLE).name()).isEqualTo("libnd4j");
    assertThat(TrunkKernels.choose(conf("NCHW"), DataType.FLOAT).name()).isEqualTo("libnd4j");
    assertThat(TrunkKernels.oneDnnPossible(conf("NHWC"), DataType.DOUBLE)).isFalse();
    assertThat(TrunkKernels.oneDnnPossible(conf("NCHW"), DataType.FLOAT)).isFalse();
  }

  @Test
  void oneDnnForFloatNhwcWhenLoadedAndAllowed() {
    assumeThat(NativeRuntime.dnnlLoaded()).as("oneDNN's binding loaded").isTrue();
    boolean before = NativeRuntime.directKernelsAllowed();
    try {
      NativeRuntime.allowDirectKernels(true);
      assertThat(TrunkKernels.choose(conf("NHWC"), DataType.FLOAT).name()).isEqualTo("onednn");
      NativeRuntime.allowDirectKernels(false);
      assertThat(TrunkKernels.choose(conf("NHWC"), DataType.FLOAT).name()).isEqualTo("libnd4j");
    } finally {
      NativeRuntime.allowDirectKernels(before);
    }
  }

  @Test
  void oneDnnsKernelsLeaveRefusedConvolutionsToLibnd4j() {
    try (TrunkKernels k = TrunkKernels.of(true, conf("NHWC"), DataType.FLOAT)) {
      assertThat(k.convolution(new ConvUnit("d", 4, 8, 1, 2, 8, 4))).isInstanceOf(Libnd4jConvolution.class);
      assertThat(k.convolution(new ConvUnit("d", 12, 8, 1, 2, 8, 4))).isInstanceOf(Libnd4jConvolution.class);
      assertThat(k.convolution(new ConvUnit("d", 32, 64, 1, 2, 32, 16))).isInstanceOf(DnnlConvolution.class);
      assertThat(k.convolution(new ConvUnit("d", 4, 8, 3, 2, 8, 4))).isInstanceOf(DnnlConvolution.class);
      assertThat(k.convolution(new ConvUnit("d", 4, 8, 1, 1, 8, 4))).isInstanceOf(DnnlConvolution.class);
    }
  }
}
