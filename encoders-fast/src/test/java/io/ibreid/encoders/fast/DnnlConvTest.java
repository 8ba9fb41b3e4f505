package io.ibreid.encoders.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ibreid.core.natives.NativeRuntime;
import java.util.Arrays;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link DnnlConv} against libnd4j's {@code conv2d}/{@code conv2d_bp} computed in double precision from the same
 * float inputs: every shape kind of the trunk (3×3 and 1×1, stride 1 and 2, even and odd sizes, one input channel
 * and many) in each kernel layout, with the kernel and the activations as views into larger buffers where the
 * trunk has them so.
 */
class DnnlConvTest {
  @Test
  void sameMatchesLibnd4jsPaddingOnHandCases() {
    long[] before = new long[2];
    long[] after = new long[2];
    // 3×3, stride 2, 64 → 32: (31·2 + 3 − 64) = 1 → 0 before, 1 after
    DnnlConv.padding(64, 32, 3, 2, before, after, 0);
    // 3×3, stride 2, 7 → 4: (3·2 + 3 − 7) = 2 → 1 and 1
    DnnlConv.padding(7, 4, 3, 2, before, after, 1);
    assertThat(before).containsExactly(0, 1);
    assertThat(after).containsExactly(1, 1);
    // 1×1, stride 2, 32 → 16: 15·2 + 1 − 32 < 0 → none
    DnnlConv.padding(32, 16, 1, 2, before, after, 0);
    assertThat(before[0]).isZero();
    assertThat(after[0]).isZero();
  }

  @Test
  void unitPaddingsAreSameOrExplicitPerSide() {
    // SAME, 3×3 stride 2 over 64×7 → 32×4: height 0 before / 1 after, width 1 / 1 (the hand cases above)
    long[][] same = DnnlConv.paddings(new ConvUnit("s", 4, 8, 3, 2, 64, 7));
    assertThat(same[0]).containsExactly(0, 1);
    assertThat(same[1]).containsExactly(1, 1);
    // torchvision's stem: 7×7 stride 2, pad 3 on every side
    long[][] stem = DnnlConv.paddings(new ConvUnit("stem", 3, 64, 7, 2, 3, 256, 128));
    assertThat(stem[0]).containsExactly(3, 3);
    assertThat(stem[1]).containsExactly(3, 3);
  }

  @ParameterizedTest(name = "c{0} {1}x{2} -> {3}, k{4} s{5}, {6}")
  @CsvSource({
      "3, 12, 6, 4, 3, 2, YXIO", "3, 12, 6, 4, 3, 2, OYXI", "3, 12, 6, 4, 3, 2, OIYX",
      "4, 7, 5, 6, 3, 1, YXIO", "4, 7, 5, 6, 3, 2, OYXI", "8, 6, 4, 12, 1, 2, YXIO", "16, 7, 3, 8, 1, 2, OIYX",
      "8, 3, 2, 16, 1, 1, YXIO", "16, 8, 4, 16, 3, 1, YXIO", "4, 8, 4, 8, 1, 1, OYXI",
      // channel counts that are not multiples of the 8- or 16-wide blocks (oneDNN pads the blocked kernel)
      "8, 4, 2, 12, 1, 1, YXIO", "4, 8, 4, 8, 3, 2, YXIO", "8, 4, 2, 8, 3, 1, YXIO", "24, 16, 8, 4, 1, 2, YXIO",
      "3, 16, 8, 4, 3, 2, YXIO", "4, 8, 4, 4, 3, 1, YXIO", "5, 16, 8, 12, 3, 2, OIYX"})
  void forwardAndBothGradientsMatchLibnd4j(int c, int h, int w, int o, int k, int s, String format) {
    assumeThat(NativeRuntime.dnnlLoaded()).as("oneDNN's binding loaded").isTrue();
    int n = 24;
    ConvUnit u = new ConvUnit("u", c, o, k, s, h, w);
    Nd4j.getRandom().setSeed(7);
    INDArray x = Nd4j.rand(DataType.FLOAT, n, h, w, c).subi(0.5);
    long[] wShape = TrunkParams.kernelShape(u, format);
    // the kernel and its gradient are views into flat parameter vectors, at an offset, as in the trunk
    INDArray params = Nd4j.rand(DataType.FLOAT, 1, 7 + len(wShape)).subi(0.5);
    INDArray kernel = params.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(7, 7 + len(wShape))).reshape('c', wShape);
    INDArray grads = Nd4j.zeros(DataType.FLOAT, 1, 5 + len(wShape));
    INDArray dKernel = grads.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 5 + len(wShape))).reshape('c', wShape);
    INDArray dy = Nd4j.rand(DataType.FLOAT, n, u.outH(), u.outW(), o).subi(0.5);
    INDArray y = Nd4j.create(DataType.FLOAT, n, u.outH(), u.outW(), o);
    INDArray dx = Nd4j.create(DataType.FLOAT, n, h, w, c);
    try (engine eng = new engine(engine.kind.cpu, 0); stream strm = new stream(eng);
        DnnlConv conv = new DnnlConv(u, n, format, eng, strm)) {
      conv.forward(x, kernel, y);
      conv.backward(x, dy, dx, dKernel);
    }
    INDArray[] ref = libnd4j(x.castTo(DataType.DOUBLE), kernel.castTo(DataType.DOUBLE), dy.castTo(DataType.DOUBLE),
        k, s, format);
    assertClose("y", y, ref[0]);
    assertClose("dx", dx, ref[1]);
    assertClose("dW", dKernel, ref[2]);
    assertThat(grads.getDouble(0, 4)).as("the gradient view's neighbours stay untouched").isZero();
  }

  /**
   * The same inputs give the same outputs, bit for bit, call after call (the exact resume of training depends on
   * it), for every shape kind the trunk uses, at the batch sizes where oneDNN 2.5.2's AVX2 strided 1×1 kernel was
   * seen to differ; that shape kind itself is refused.
   */
  @ParameterizedTest(name = "c{0} {1}x{2} -> {3}, k{4} s{5}")
  @CsvSource({"3, 16, 8, 8, 3, 2", "8, 16, 8, 8, 3, 1", "8, 16, 8, 16, 3, 2", "8, 16, 8, 16, 1, 2",
      "16, 8, 4, 32, 1, 1", "24, 16, 8, 8, 1, 2"})
  void repeatedCallsGiveIdenticalResults(int c, int h, int w, int o, int k, int s) {
    assumeThat(NativeRuntime.dnnlLoaded()).as("oneDNN's binding loaded").isTrue();
    ConvUnit u = new ConvUnit("u", c, o, k, s, h, w);
    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.rand(DataType.FLOAT, 32, h, w, c).subi(0.5);
    INDArray kernel = Nd4j.rand(DataType.FLOAT, TrunkParams.kernelShape(u, "YXIO")).subi(0.5);
    INDArray dy = Nd4j.rand(DataType.FLOAT, 32, u.outH(), u.outW(), o).subi(0.5);
    INDArray[] first = null;
    try (engine eng = new engine(engine.kind.cpu, 0); stream strm = new stream(eng);
        DnnlConv conv = new DnnlConv(u, 32, "YXIO", eng, strm)) {
      for (int rep = 0; rep < 4; rep++) {
        INDArray y = Nd4j.create(DataType.FLOAT, dy.shape());
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray dKernel = Nd4j.create(DataType.FLOAT, kernel.shape());
        conv.forward(x, kernel, y);
        conv.backward(x, dy, dx, dKernel);
        if (first == null) {
          first = new INDArray[] {y, dx, dKernel};
        } else {
          assertThat(y).as("y, call %d", rep).isEqualTo(first[0]);
          assertThat(dx).as("dx, call %d", rep).isEqualTo(first[1]);
          assertThat(dKernel).as("dW, call %d", rep).isEqualTo(first[2]);
        }
      }
    }
  }

  @Test
  void stridedOneByOneConvolutionsOverChannelsNotAMultipleOfEightAreLeftToLibnd4j() {
    assertThat(DnnlConv.supports(new ConvUnit("d", 4, 8, 1, 2, 8, 4))).isFalse();
    assertThat(DnnlConv.supports(new ConvUnit("d", 5, 8, 1, 2, 8, 4))).isFalse();
    assertThat(DnnlConv.supports(new ConvUnit("d", 12, 8, 1, 2, 8, 4))).isFalse();
    assertThat(DnnlConv.supports(new ConvUnit("d", 4, 8, 1, 1, 8, 4))).isTrue();
    assertThat(DnnlConv.supports(new ConvUnit("d", 4, 8, 3, 2, 8, 4))).isTrue();
    assertThat(DnnlConv.supports(new ConvUnit("d", 32, 64, 1, 2, 32, 16))).isTrue();
    assertThatThrownBy(() -> new DnnlConv(new ConvUnit("d", 4, 8, 1, 2, 8, 4), 2, "YXIO", null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 input channels");
  }

  @Test
  void skipsTheInputGradientWhenNotWanted() {
    assumeThat(NativeRuntime.dnnlLoaded()).as("oneDNN's binding loaded").isTrue();
    ConvUnit u = new ConvUnit("u", 3, 4, 3, 2, 8, 4);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 8, 4, 3);
    INDArray kernel = Nd4j.rand(DataType.FLOAT, TrunkParams.kernelShape(u, "YXIO"));
    INDArray dy = Nd4j.rand(DataType.FLOAT, 2, u.outH(), u.outW(), 4);
    INDArray dKernel = Nd4j.create(DataType.FLOAT, kernel.shape());
    try (engine eng = new engine(engine.kind.cpu, 0); stream strm = new stream(eng);
        DnnlConv conv = new DnnlConv(u, 2, "YXIO", eng, strm)) {
      conv.forward(x, kernel, Nd4j.create(DataType.FLOAT, dy.shape()));
      conv.backward(x, dy, null, dKernel);
    }
    INDArray[] ref = libnd4j(x.castTo(DataType.DOUBLE), kernel.castTo(DataType.DOUBLE), dy.castTo(DataType.DOUBLE),
        3, 2, "YXIO");
    assertClose("dW", dKernel, ref[2]);
  }

  /**
   * A 3×3 kernel of ones at stride 2 over a 4×4 map of ones counts the positions inside the map: SAME padding (none
   * before, one after) gives 9, 6, 6, 4; torchvision's (one on every side) 4, 6, 6, 9. Both kernels, both paddings.
   */
  @ParameterizedTest(name = "pad {0}")
  @CsvSource({"-1, 9, 6, 6, 4", "1, 4, 6, 6, 9"})
  void paddingOnAHandCase(int pad, double a, double b, double c, double d) {
    ConvUnit u = new ConvUnit("u", 1, 1, 3, 2, pad, 4, 4);
    INDArray kernel = Nd4j.ones(DataType.FLOAT, TrunkParams.kernelShape(u, "YXIO"));
    INDArray x = Nd4j.ones(DataType.FLOAT, 1, 4, 4, 1);
    INDArray y = Nd4j.create(DataType.FLOAT, 1, 2, 2, 1);
    new Libnd4jConvolution(u, "NHWC", "YXIO").forward(x, kernel, y);
    assertThat(y.reshape(4).toDoubleVector()).as("libnd4j").containsExactly(a, b, c, d);
    if (NativeRuntime.dnnlLoaded()) {
      try (engine eng = new engine(engine.kind.cpu, 0); stream strm = new stream(eng);
          DnnlConv conv = new DnnlConv(u, 1, "YXIO", eng, strm)) {
        INDArray yd = Nd4j.create(DataType.FLOAT, 1, 2, 2, 1);
        conv.forward(x, kernel, yd);
        assertThat(yd.reshape(4).toDoubleVector()).as("oneDNN").containsExactly(a, b, c, d);
      }
    }
  }

  /** Explicit padding (torchvision's k/2): oneDNN against libnd4j's conv2d with the same padding in double. */
  @ParameterizedTest(name = "c{0} {1}x{2} -> {3}, k{4} s{5} p{6}")
  @CsvSource({"3, 16, 8, 8, 7, 2, 3", "8, 8, 4, 8, 3, 2, 1", "8, 7, 5, 16, 3, 1, 1", "16, 8, 4, 8, 1, 2, 0",
      "4, 9, 6, 4, 3, 2, 1"})
  void explicitPaddingMatchesLibnd4j(int c, int h, int w, int o, int k, int s, int p) {
    assumeThat(NativeRuntime.dnnlLoaded()).as("oneDNN's binding loaded").isTrue();
    int n = 12;
    ConvUnit u = new ConvUnit("u", c, o, k, s, p, h, w);
    Nd4j.getRandom().setSeed(17);
    INDArray x = Nd4j.rand(DataType.FLOAT, n, h, w, c).subi(0.5);
    INDArray kernel = Nd4j.rand(DataType.FLOAT, TrunkParams.kernelShape(u, "YXIO")).subi(0.5);
    INDArray dy = Nd4j.rand(DataType.FLOAT, n, u.outH(), u.outW(), o).subi(0.5);
    INDArray y = Nd4j.create(DataType.FLOAT, dy.shape());
    INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
    INDArray dKernel = Nd4j.create(DataType.FLOAT, kernel.shape());
    try (engine eng = new engine(engine.kind.cpu, 0); stream strm = new stream(eng);
        DnnlConv conv = new DnnlConv(u, n, "YXIO", eng, strm)) {
      conv.forward(x, kernel, y);
      conv.backward(x, dy, dx, dKernel);
    }
    INDArray xd = x.castTo(DataType.DOUBLE);
    INDArray kd = kernel.castTo(DataType.DOUBLE);
    INDArray yRef = Nd4j.create(DataType.DOUBLE, dy.shape());
    INDArray dxRef = Nd4j.create(DataType.DOUBLE, x.shape());
    INDArray dwRef = Nd4j.create(DataType.DOUBLE, kernel.shape());
    Convolution ref = new Libnd4jConvolution(u, "NHWC", "YXIO");
    ref.forward(xd, kd, yRef);
    ref.backward(xd, kd, dy.castTo(DataType.DOUBLE), dxRef, dwRef);
    assertClose("y", y, yRef);
    assertClose("dx", dx, dxRef);
    assertClose("dW", dKernel, dwRef);
  }

  private static long len(long[] shape) {
    return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
  }

  /** Relative error in the max norm against the double-precision reference: float rounding of sums of ≤ 150 terms. */
  private static void assertClose(String what, INDArray actual, INDArray expected) {
    double scale = Math.max(1e-12, expected.amaxNumber().doubleValue());
    double err = actual.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue() / scale;
    assertThat(err).as("%s: max |oneDNN − libnd4j (double)| / max |libnd4j|", what).isLessThan(1e-5);
  }

  /** libnd4j's conv2d and conv2d_bp, NHWC, SAME padding, in the arrays' data type: y, dx, dW. */
  static INDArray[] libnd4j(INDArray x, INDArray kernel, INDArray dy, int k, int s, String format) {
    Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(s).sW(s).paddingMode(PaddingMode.SAME)
        .dataFormat("NHWC").weightsFormat(WeightsFormat.valueOf(format)).build();
    INDArray y = Nd4j.create(x.dataType(), dy.shape());
    INDArray dx = Nd4j.create(x.dataType(), x.shape());
    INDArray dw = Nd4j.create(x.dataType(), kernel.shape());
    Conv2D fwd = new Conv2D(new INDArray[] {x, kernel}, new INDArray[] {y}, cfg);
    Nd4j.exec(fwd);
    int[] iargs = Arrays.stream(fwd.iArgs()).mapToInt(v -> (int) v).toArray();
    Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, kernel, dy).addOutputs(dx, dw)
        .addIntegerArguments(iargs).build());
    return new INDArray[] {y, dx, dw};
  }
}
