package io.ibreid.encoders.fast;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One inference convolution with a bias and post-operations through oneDNN's primitive, created once for a batch
 * size and a choice of post-operations and kept: y = [ReLU](conv(x, w) + b [+ y]) in NHWC float, padding as
 * {@link DnnlConv}'s. The kernel is reordered from ND4J's plain layout to the primitive's on every call (it is the
 * folded kernel of a unit, recomputed per pass). Not thread-safe.
 */
final class DnnlFoldedConv implements AutoCloseable {
  private final stream strm;
  private final NativeObjects objects = new NativeObjects();
  private final convolution_forward fwd;
  private final memory src;
  private final memory dst;
  private final memory bias;
  private final memory plainWeights;
  private final memory weights;
  private final reorder toWeights;
  private final IntMemoryMap args = objects.own(new IntMemoryMap());

  DnnlFoldedConv(ConvUnit u, long n, String weightsFormat, boolean accumulate, boolean relu, engine eng,
      stream strm) {
    this.strm = strm;
    long c = u.inChannels();
    long o = u.outChannels();
    long k = u.kernel();
    long s = u.stride();
    long[][] pads = DnnlConv.paddings(u);
    long[] pl = pads[0];
    long[] pr = pads[1];
    memory.desc srcMd = objects.own(new memory.desc(new long[] {n, c, u.inH(), u.inW()}, memory.data_type.f32,
        memory.format_tag.nhwc));
    memory.desc dstMd = objects.own(new memory.desc(new long[] {n, o, u.outH(), u.outW()}, memory.data_type.f32,
        memory.format_tag.nhwc));
    memory.desc biasMd = objects.own(new memory.desc(new long[] {o}, memory.data_type.f32, memory.format_tag.a));
    long[] wDims = {o, c, k, k};
    memory.desc plainW = objects.own(new memory.desc(wDims, memory.data_type.f32, DnnlConv.tag(weightsFormat)));
    memory.desc anyW = objects.own(new memory.desc(wDims, memory.data_type.f32, memory.format_tag.any));
    post_ops ops = objects.own(new post_ops());
    if (accumulate) {
      ops.append_sum(); // scale 1
    }
    if (relu) {
      ops.append_eltwise(1.0f, dnnl.algorithm.eltwise_relu, 0f, 0f);
    }
    primitive_attr attr = objects.own(new primitive_attr());
    attr.set_post_ops(ops);
    convolution_forward.primitive_desc pd = objects.own(new convolution_forward.primitive_desc(objects.own(
        new convolution_forward.desc(dnnl.prop_kind.forward_inference, dnnl.algorithm.convolution_direct, srcMd,
            anyW, biasMd, dstMd, new long[] {s, s}, pl, pr)), attr, eng));
    fwd = objects.own(new convolution_forward(pd));
    src = objects.own(new memory(srcMd, eng, (Pointer) null));
    dst = objects.own(new memory(dstMd, eng, (Pointer) null));
    bias = objects.own(new memory(biasMd, eng, (Pointer) null));
    plainWeights = objects.own(new memory(plainW, eng, (Pointer) null));
    weights = objects.own(new memory(pd.weights_desc(), eng));
    toWeights = objects.own(new reorder(plainWeights, weights));
    args.put(dnnl.DNNL_ARG_SRC, src);
    args.put(dnnl.DNNL_ARG_WEIGHTS, weights);
    args.put(dnnl.DNNL_ARG_BIAS, bias);
    args.put(dnnl.DNNL_ARG_DST, dst);
  }

  /** y = [ReLU](conv(x, w) + b [+ y]); every array float and contiguous, in the shapes this was built for. */
  void forward(INDArray x, INDArray w, INDArray b, INDArray y) {
    plainWeights.set_data_handle(DnnlConv.address(w));
    toWeights.execute(strm, plainWeights, weights);
    src.set_data_handle(DnnlConv.address(x));
    bias.set_data_handle(DnnlConv.address(b));
    dst.set_data_handle(DnnlConv.address(y));
    fwd.execute(strm, args);
    strm._wait();
  }

  @Override
  public void close() {
    objects.close();
  }
}
