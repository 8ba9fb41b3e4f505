package io.ibreid.encoders.fast;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One trunk convolution (NHWC float activations, SAME padding as libnd4j computes it or explicit padding) through
 * oneDNN's primitives, created once for a batch size and kept: forward, backward to the input and backward to the
 * kernel. The activations stay in ND4J's buffers in plain NHWC (oneDNN reads and writes them in place); the kernel is
 * reordered from ND4J's plain layout to the blocked layout the primitives chose on each forward pass, and its
 * gradient back into the gradient view. libnd4j's {@code conv2d}/{@code conv2d_bp} go through oneDNN too, but build
 * the primitives and reorder on every call; keeping them is what this class is for (benchmarks/README.md, issue 18
 * part 4). Not thread-safe: one per unit and batch size, used by one trunk.
 */
final class DnnlConv implements AutoCloseable {
  private final stream strm;
  private final NativeObjects objects = new NativeObjects();
  private final convolution_forward fwd;
  private final convolution_backward_data bwdData;
  private final convolution_backward_weights bwdWeights;
  private final memory src;
  private final memory dst;
  private final memory diffDst;
  private final memory diffSrc;
  private final memory plainWeights;
  private final memory plainDiffWeights;
  private final memory fwdWeights;
  private final memory bwdDataWeights;
  private final memory bwdDiffWeights;
  private final reorder toFwdWeights;
  private final reorder toBwdDataWeights;
  private final reorder fromBwdDiffWeights;
  private final IntMemoryMap fwdArgs = objects.own(new IntMemoryMap());
  private final IntMemoryMap bwdDataArgs = objects.own(new IntMemoryMap());
  private final IntMemoryMap bwdWeightsArgs = objects.own(new IntMemoryMap());

  /**
   * @param u the unit
   * @param n the batch size
   * @param weightsFormat ND4J's kernel layout: YXIO, OYXI or OIYX
   */
  DnnlConv(ConvUnit u, long n, String weightsFormat, engine eng, stream strm) {
    if (!supports(u)) {
      throw new IllegalArgumentException("oneDNN's strided 1x1 convolution over " + u.inChannels()
          + " input channels is not used (see supports)");
    }
    this.strm = strm;
    long c = u.inChannels();
    long o = u.outChannels();
    long k = u.kernel();
    long s = u.stride();
    long[][] pads = paddings(u);
    long[] pl = pads[0];
    long[] pr = pads[1];
    long[] strides = {s, s};
    memory.desc srcMd = objects.own(new memory.desc(new long[] {n, c, u.inH(), u.inW()}, memory.data_type.f32,
        memory.format_tag.nhwc));
    memory.desc dstMd = objects.own(new memory.desc(new long[] {n, o, u.outH(), u.outW()}, memory.data_type.f32,
        memory.format_tag.nhwc));
    long[] wDims = {o, c, k, k};
    memory.desc plainW = objects.own(new memory.desc(wDims, memory.data_type.f32, tag(weightsFormat)));
    memory.desc anyW = objects.own(new memory.desc(wDims, memory.data_type.f32, memory.format_tag.any));
    dnnl.algorithm direct = dnnl.algorithm.convolution_direct;
    convolution_forward.primitive_desc fpd = objects.own(new convolution_forward.primitive_desc(objects.own(
        new convolution_forward.desc(dnnl.prop_kind.forward_training, direct, srcMd, anyW, dstMd, strides, pl, pr)),
        eng));
    convolution_backward_data.primitive_desc dpd = objects.own(new convolution_backward_data.primitive_desc(
        objects.own(new convolution_backward_data.desc(direct, srcMd, anyW, dstMd, strides, pl, pr)), eng, fpd));
    convolution_backward_weights.primitive_desc wpd = objects.own(new convolution_backward_weights.primitive_desc(
        objects.own(new convolution_backward_weights.desc(direct, srcMd, anyW, dstMd, strides, pl, pr)), eng, fpd));
    fwd = objects.own(new convolution_forward(fpd));
    bwdData = objects.own(new convolution_backward_data(dpd));
    bwdWeights = objects.own(new convolution_backward_weights(wpd));
    src = objects.own(new memory(srcMd, eng, (Pointer) null));
    dst = objects.own(new memory(dstMd, eng, (Pointer) null));
    diffDst = objects.own(new memory(dstMd, eng, (Pointer) null));
    diffSrc = objects.own(new memory(srcMd, eng, (Pointer) null));
    plainWeights = objects.own(new memory(plainW, eng, (Pointer) null));
    plainDiffWeights = objects.own(new memory(plainW, eng, (Pointer) null));
    fwdWeights = objects.own(new memory(fpd.weights_desc(), eng));
    toFwdWeights = objects.own(new reorder(plainWeights, fwdWeights));
    if (dpd.weights_desc().equals(fpd.weights_desc())) {
      bwdDataWeights = fwdWeights;
      toBwdDataWeights = null;
    } else {
      bwdDataWeights = objects.own(new memory(dpd.weights_desc(), eng));
      toBwdDataWeights = objects.own(new reorder(fwdWeights, bwdDataWeights));
    }
    bwdDiffWeights = objects.own(new memory(wpd.diff_weights_desc(), eng));
    fromBwdDiffWeights = objects.own(new reorder(bwdDiffWeights, plainDiffWeights));
    fwdArgs.put(dnnl.DNNL_ARG_SRC, src);
    fwdArgs.put(dnnl.DNNL_ARG_WEIGHTS, fwdWeights);
    fwdArgs.put(dnnl.DNNL_ARG_DST, dst);
    bwdDataArgs.put(dnnl.DNNL_ARG_DIFF_DST, diffDst);
    bwdDataArgs.put(dnnl.DNNL_ARG_WEIGHTS, bwdDataWeights);
    bwdDataArgs.put(dnnl.DNNL_ARG_DIFF_SRC, diffSrc);
    bwdWeightsArgs.put(dnnl.DNNL_ARG_SRC, src);
    bwdWeightsArgs.put(dnnl.DNNL_ARG_DIFF_DST, diffDst);
    bwdWeightsArgs.put(dnnl.DNNL_ARG_DIFF_WEIGHTS, bwdDiffWeights);
  }

  /**
   * Whether this class may run {@code u}: not a strided 1×1 convolution whose input channels are not a multiple of 8
   * (a padded block). For 3, 4 and 5 input channels oneDNN 2.5.2's AVX2 kernel ({@code jit_1x1:avx2}, NHWC) returns a
   * different kernel gradient on every call (errors of order 1 at batch 24 and 32) and corrupted the heap in a test
   * JVM; 12 was not seen to fail, but every padded block is refused to be safe. The trunk runs such a unit with
   * libnd4j's ops; none of the shipped configurations has one (their narrowest strided 1×1 convolution reads 32
   * channels).
   */
  static boolean supports(ConvUnit u) {
    return !(u.kernel() == 1 && u.stride() > 1 && u.inChannels() % 8 != 0);
  }

  /**
   * The unit's padding as oneDNN takes it: {before, after}, each {height, width}; SAME padding as libnd4j computes
   * it ({@link #padding}), else the unit's explicit padding on every side. Both kept primitives (training and the
   * BN-folded inference one) use it.
   */
  static long[][] paddings(ConvUnit u) {
    long[] before = new long[2];
    long[] after = new long[2];
    if (u.same()) {
      padding(u.inH(), u.outH(), u.kernel(), u.stride(), before, after, 0);
      padding(u.inW(), u.outW(), u.kernel(), u.stride(), before, after, 1);
    } else {
      java.util.Arrays.fill(before, u.pad());
      java.util.Arrays.fill(after, u.pad());
    }
    return new long[][] {before, after};
  }

  /**
   * libnd4j's SAME padding: total max(0, (out − 1)·stride + k − in), the smaller half before. For a 3×3 kernel at
   * stride 2 over an even size that is 0 before and 1 after.
   */
  static void padding(long in, long out, long k, long s, long[] before, long[] after, int axis) {
    long total = Math.max(0, (out - 1) * s + k - in);
    before[axis] = total / 2;
    after[axis] = total - total / 2;
  }

  static memory.format_tag tag(String weightsFormat) {
    return switch (weightsFormat) {
      case "YXIO" -> memory.format_tag.hwio;
      case "OYXI" -> memory.format_tag.ohwi;
      case "OIYX" -> memory.format_tag.oihw;
      default -> throw new IllegalArgumentException("weightsFormat must be OIYX, YXIO or OYXI, got " + weightsFormat);
    };
  }

  /** y = conv(x, w); every array float, contiguous, in the shapes this convolution was built for. */
  void forward(INDArray x, INDArray w, INDArray y) {
    plainWeights.set_data_handle(address(w));
    toFwdWeights.execute(strm, plainWeights, fwdWeights);
    src.set_data_handle(address(x));
    dst.set_data_handle(address(y));
    fwd.execute(strm, fwdArgs);
    strm._wait();
  }

  /**
   * dx and dw from dy, for the x and w of the last {@link #forward} (the blocked kernel it made is reused); dx may be
   * null when the input's gradient is not wanted.
   */
  void backward(INDArray x, INDArray dy, INDArray dx, INDArray dw) {
    diffDst.set_data_handle(address(dy));
    if (dx != null) {
      if (toBwdDataWeights != null) {
        toBwdDataWeights.execute(strm, fwdWeights, bwdDataWeights);
      }
      diffSrc.set_data_handle(address(dx));
      bwdData.execute(strm, bwdDataArgs);
    }
    src.set_data_handle(address(x));
    bwdWeights.execute(strm, bwdWeightsArgs);
    plainDiffWeights.set_data_handle(address(dw));
    fromBwdDiffWeights.execute(strm, bwdDiffWeights, plainDiffWeights);
    strm._wait();
  }

  /**
   * The address of a float array's first element. ND4J gives a view its own buffer whose address already includes
   * the view's offset; the pointer's position (in its own elements) is folded in here, so the pointer passed on is
   * absolute.
   */
  static Pointer address(INDArray a) {
    if (a.dataType() != DataType.FLOAT || !contiguous(a)) {
      throw new IllegalArgumentException("oneDNN needs a contiguous float array in C order, got "
          + a.shapeInfoToString().replace('\n', ' '));
    }
    Pointer p = a.data().addressPointer();
    long absolute = p.address() + p.position() * p.sizeof();
    return new Pointer() {
      {
        address = absolute;
      }
    };
  }

  /** C order without gaps: every axis longer than 1 has the stride of the product of the later axes' lengths. */
  static boolean contiguous(INDArray a) {
    long expected = 1;
    for (int i = a.rank() - 1; i >= 0; i--) {
      if (a.size(i) > 1 && a.stride(i) != expected) {
        return false;
      }
      expected *= a.size(i);
    }
    return true;
  }

  @Override
  public void close() {
    objects.close();
  }
}
