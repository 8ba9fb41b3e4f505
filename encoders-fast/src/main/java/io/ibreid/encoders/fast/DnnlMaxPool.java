package io.ibreid.encoders.fast;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One max pooling (NHWC float) through oneDNN's primitives, created once for a batch size and kept: the forward pass
 * (training mode) records where each window's maximum was in a workspace of its own, which the backward pass reads.
 * Every array stays in ND4J's buffers. Not thread-safe: one per pooling, batch size and kind of pass.
 */
final class DnnlMaxPool implements AutoCloseable {
  private final stream strm;
  private final NativeObjects objects = new NativeObjects();
  private final pooling_forward fwd;
  private final pooling_backward bwd;
  private final memory src;
  private final memory dst;
  private final memory diffDst;
  private final memory diffSrc;
  private final IntMemoryMap fwdArgs = objects.own(new IntMemoryMap());
  private final IntMemoryMap bwdArgs = objects.own(new IntMemoryMap());

  DnnlMaxPool(PoolUnit u, long n, engine eng, stream strm) {
    this.strm = strm;
    long[] strides = {u.stride(), u.stride()};
    long[] kernel = {u.kernel(), u.kernel()};
    long[] pad = {u.pad(), u.pad()};
    memory.desc srcMd = objects.own(new memory.desc(new long[] {n, u.channels(), u.inH(), u.inW()},
        memory.data_type.f32, memory.format_tag.nhwc));
    memory.desc dstMd = objects.own(new memory.desc(new long[] {n, u.channels(), u.outH(), u.outW()},
        memory.data_type.f32, memory.format_tag.nhwc));
    dnnl.algorithm max = dnnl.algorithm.pooling_max;
    pooling_forward.primitive_desc fpd = objects.own(new pooling_forward.primitive_desc(objects.own(
        new pooling_forward.desc(dnnl.prop_kind.forward_training, max, srcMd, dstMd, strides, kernel, pad, pad)), eng));
    pooling_backward.primitive_desc bpd = objects.own(new pooling_backward.primitive_desc(objects.own(
        new pooling_backward.desc(max, srcMd, dstMd, strides, kernel, pad, pad)), eng, fpd));
    fwd = objects.own(new pooling_forward(fpd));
    bwd = objects.own(new pooling_backward(bpd));
    src = objects.own(new memory(srcMd, eng, (Pointer) null));
    dst = objects.own(new memory(dstMd, eng, (Pointer) null));
    diffDst = objects.own(new memory(dstMd, eng, (Pointer) null));
    diffSrc = objects.own(new memory(srcMd, eng, (Pointer) null));
    memory workspace = objects.own(new memory(fpd.workspace_desc(), eng));
    fwdArgs.put(dnnl.DNNL_ARG_SRC, src);
    fwdArgs.put(dnnl.DNNL_ARG_DST, dst);
    fwdArgs.put(dnnl.DNNL_ARG_WORKSPACE, workspace);
    bwdArgs.put(dnnl.DNNL_ARG_DIFF_DST, diffDst);
    bwdArgs.put(dnnl.DNNL_ARG_DIFF_SRC, diffSrc);
    bwdArgs.put(dnnl.DNNL_ARG_WORKSPACE, workspace);
  }

  /** y = the maximum of every window of x; every array float, contiguous, in the shapes this pooling was built for. */
  void forward(INDArray x, INDArray y) {
    src.set_data_handle(DnnlConv.address(x));
    dst.set_data_handle(DnnlConv.address(y));
    fwd.execute(strm, fwdArgs);
    strm._wait();
  }

  /** dx from dy, for the windows' maxima the last {@link #forward} found. */
  void backward(INDArray dy, INDArray dx) {
    diffDst.set_data_handle(DnnlConv.address(dy));
    diffSrc.set_data_handle(DnnlConv.address(dx));
    bwd.execute(strm, bwdArgs);
    strm._wait();
  }

  @Override
  public void close() {
    objects.close();
  }
}
