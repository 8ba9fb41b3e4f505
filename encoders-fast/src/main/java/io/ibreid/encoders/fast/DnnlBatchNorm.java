package io.ibreid.encoders.fast;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training-mode batch normalisation of one trunk unit (NHWC float, per-channel scale γ and shift β, optionally
 * followed by a ReLU fused into the same pass) through oneDNN's primitives, created once for a batch size and kept.
 * The forward pass computes the batch mean and (biased) variance, normalises and writes the output in one primitive;
 * with the ReLU fused it keeps a bit mask in a workspace of its own, which the backward pass applies to the incoming
 * gradient before it computes dx, dγ and dβ. Every array stays in ND4J's buffers. Not thread-safe: one per unit and
 * batch size, used by one trunk.
 */
final class DnnlBatchNorm implements AutoCloseable {
  private final stream strm;
  private final NativeObjects objects = new NativeObjects();
  private final batch_normalization_forward fwd;
  private final batch_normalization_backward bwd;
  private final memory src;
  private final memory dst;
  private final memory scale;
  private final memory shift;
  private final memory mean;
  private final memory variance;
  private final memory diffDst;
  private final memory diffSrc;
  private final memory diffScale;
  private final memory diffShift;
  private final IntMemoryMap fwdArgs = objects.own(new IntMemoryMap());
  private final IntMemoryMap bwdArgs = objects.own(new IntMemoryMap());

  /**
   * @param n batch size
   * @param c channels
   * @param h height
   * @param w width
   * @param eps added to the variance
   * @param relu whether a ReLU follows (fused)
   */
  DnnlBatchNorm(long n, long c, long h, long w, double eps, boolean relu, engine eng, stream strm) {
    this.strm = strm;
    memory.desc data = objects.own(new memory.desc(new long[] {n, c, h, w}, memory.data_type.f32,
        memory.format_tag.nhwc));
    memory.desc channel = objects.own(new memory.desc(new long[] {c}, memory.data_type.f32, memory.format_tag.a));
    int flags = dnnl.normalization_flags.use_scale.value | dnnl.normalization_flags.use_shift.value
        | (relu ? dnnl.normalization_flags.fuse_norm_relu.value : 0);
    batch_normalization_forward.primitive_desc fpd = objects.own(new batch_normalization_forward.primitive_desc(
        objects.own(new batch_normalization_forward.desc(dnnl.prop_kind.forward_training.value, data, (float) eps,
            flags)),
        eng));
    batch_normalization_backward.primitive_desc bpd = objects.own(new batch_normalization_backward.primitive_desc(
        objects.own(new batch_normalization_backward.desc(dnnl.prop_kind.backward.value, data, data, (float) eps,
            flags)),
        eng, fpd));
    fwd = objects.own(new batch_normalization_forward(fpd));
    bwd = objects.own(new batch_normalization_backward(bpd));
    src = handle(data, eng);
    dst = handle(data, eng);
    diffDst = handle(data, eng);
    diffSrc = handle(data, eng);
    scale = handle(channel, eng);
    shift = handle(channel, eng);
    mean = handle(channel, eng);
    variance = handle(channel, eng);
    diffScale = handle(channel, eng);
    diffShift = handle(channel, eng);
    fwdArgs.put(dnnl.DNNL_ARG_SRC, src);
    fwdArgs.put(dnnl.DNNL_ARG_DST, dst);
    fwdArgs.put(dnnl.DNNL_ARG_SCALE, scale);
    fwdArgs.put(dnnl.DNNL_ARG_SHIFT, shift);
    fwdArgs.put(dnnl.DNNL_ARG_MEAN, mean);
    fwdArgs.put(dnnl.DNNL_ARG_VARIANCE, variance);
    bwdArgs.put(dnnl.DNNL_ARG_SRC, src);
    bwdArgs.put(dnnl.DNNL_ARG_MEAN, mean);
    bwdArgs.put(dnnl.DNNL_ARG_VARIANCE, variance);
    bwdArgs.put(dnnl.DNNL_ARG_SCALE, scale);
    bwdArgs.put(dnnl.DNNL_ARG_SHIFT, shift);
    bwdArgs.put(dnnl.DNNL_ARG_DIFF_DST, diffDst);
    bwdArgs.put(dnnl.DNNL_ARG_DIFF_SRC, diffSrc);
    bwdArgs.put(dnnl.DNNL_ARG_DIFF_SCALE, diffScale);
    bwdArgs.put(dnnl.DNNL_ARG_DIFF_SHIFT, diffShift);
    if (relu) {
      memory workspace = objects.own(new memory(fpd.workspace_desc(), eng));
      fwdArgs.put(dnnl.DNNL_ARG_WORKSPACE, workspace);
      bwdArgs.put(dnnl.DNNL_ARG_WORKSPACE, workspace);
    }
  }

  private memory handle(memory.desc d, engine eng) {
    return objects.own(new memory(d, eng, (Pointer) null));
  }

  /**
   * y = γ·(x − μ)/√(σ² + ε) + β (then max(0, ·) when fused), writing the batch's μ and biased σ² into
   * {@code batchMean} and {@code batchVar} (C values each).
   */
  void forward(INDArray x, INDArray gamma, INDArray beta, INDArray y, INDArray batchMean, INDArray batchVar) {
    src.set_data_handle(DnnlConv.address(x));
    dst.set_data_handle(DnnlConv.address(y));
    scale.set_data_handle(DnnlConv.address(gamma));
    shift.set_data_handle(DnnlConv.address(beta));
    mean.set_data_handle(DnnlConv.address(batchMean));
    variance.set_data_handle(DnnlConv.address(batchVar));
    fwd.execute(strm, fwdArgs);
    strm._wait();
  }

  /**
   * dx, dγ and dβ from dy (the gradient of this unit's output, after the fused ReLU if any), for the x, γ and batch
   * statistics of the last {@link #forward}. oneDNN 2.5 requires β as an input here too, though dx does not depend
   * on it.
   */
  void backward(INDArray x, INDArray gamma, INDArray beta, INDArray batchMean, INDArray batchVar, INDArray dy,
      INDArray dx, INDArray dGamma, INDArray dBeta) {
    src.set_data_handle(DnnlConv.address(x));
    scale.set_data_handle(DnnlConv.address(gamma));
    shift.set_data_handle(DnnlConv.address(beta));
    mean.set_data_handle(DnnlConv.address(batchMean));
    variance.set_data_handle(DnnlConv.address(batchVar));
    diffDst.set_data_handle(DnnlConv.address(dy));
    diffSrc.set_data_handle(DnnlConv.address(dx));
    diffScale.set_data_handle(DnnlConv.address(dGamma));
    diffShift.set_data_handle(DnnlConv.address(dBeta));
    bwd.execute(strm, bwdArgs);
    strm._wait();
  }

  @Override
  public void close() {
    objects.close();
  }
}
