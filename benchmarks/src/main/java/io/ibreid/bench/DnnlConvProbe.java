package io.ibreid.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each convolution of the bench trunk (width 32, stages [1,1,1], D 512, 3×64×32 input, batch 32, NHWC) through
 * oneDNN's primitives built once and kept, against libnd4j's {@code conv2d}/{@code conv2d_bp} in the same process:
 * {@code DnnlConvProbe THREADS REPEATS [plain|wany|any]}. {@code plain}: activations NHWC and kernel HWIO as ND4J
 * holds them; {@code wany} (default): activations NHWC, the kernel in the layout the primitives prefer, reordered on
 * every call (included in the time; what the fast encoder does); {@code any}: activations too (reorders included).
 * Prints medians (ms), the relative error against libnd4j and oneDNN's implementation names.
 * {@code DNNL_MAX_CPU_ISA=AVX2} in the environment caps oneDNN at AVX2.
 */
public final class DnnlConvProbe {
  private static final int[][] SHAPES = { // C, H, W, OUT, K, STRIDE
      {3, 64, 32, 32, 3, 2}, {32, 32, 16, 32, 3, 1}, {32, 32, 16, 32, 3, 1}, {32, 32, 16, 64, 3, 2},
      {64, 16, 8, 64, 3, 1}, {32, 32, 16, 64, 1, 2}, {64, 16, 8, 128, 3, 2}, {128, 8, 4, 128, 3, 1},
      {64, 16, 8, 128, 1, 2}, {128, 8, 4, 512, 1, 1}};
  private static final int N = 32;
  private static final int WARMUP = 3;

  private final engine eng = new engine(engine.kind.cpu, 0);
  private final stream strm = new stream(eng);

  private DnnlConvProbe() {}

  public static void main(String[] args) {
    io.ibreid.core.natives.NativeRuntime.load();
    int threads = Integer.parseInt(args[0]);
    int reps = Integer.parseInt(args[1]);
    String mode = args.length > 2 ? args[2] : "wany";
    Threads.set(threads);
    System.out.println("# " + Threads.describe() + "; " + io.ibreid.core.natives.NativeRuntime.dnnlStatus().describe()
        + "; mode " + mode);
    new DnnlConvProbe().run(reps, mode);
  }

  private void run(int reps, String mode) {
    double[] total = new double[4];
    for (int[] s : SHAPES) {
      double[] r = shape(s, reps, mode);
      for (int i = 0; i < 4; i++) {
        total[i] += r[i];
      }
    }
    System.out.printf("total: oneDNN fwd %.1f bwd %.1f | libnd4j fwd %.1f bwd %.1f ms%n", total[0], total[1],
        total[2], total[3]);
  }

  /** The plain memory itself when the primitive wants its layout, else a new one and a reorder queued in list. */
  private memory as(memory plain, memory.desc want, List<Runnable> list, boolean into) {
    if (plain.get_desc().equals(want)) {
      return plain;
    }
    memory q = new memory(want, eng);
    reorder r = into ? new reorder(plain, q) : new reorder(q, plain);
    list.add(into ? () -> r.execute(strm, plain, q) : () -> r.execute(strm, q, plain));
    return q;
  }

  private memory wrap(INDArray a, memory.desc md) {
    return new memory(md, eng, new Pointer(a.data().addressPointer()));
  }

  private static memory.desc desc(memory.format_tag tag, long... dims) {
    return new memory.desc(dims, memory.data_type.f32, tag);
  }

  /** Median ms of oneDNN forward, backward, libnd4j forward, backward for one shape; prints a line. */
  private double[] shape(int[] s, int reps, String mode) {
    int c = s[0];
    int h = s[1];
    int w = s[2];
    int o = s[3];
    int k = s[4];
    int st = s[5];
    int oh = (h + st - 1) / st;
    int ow = (w + st - 1) / st;
    long padH = Math.max(0, (oh - 1) * st + k - h);
    long padW = Math.max(0, (ow - 1) * st + k - w);
    long[] pl = {padH / 2, padW / 2};
    long[] pr = {padH - padH / 2, padW - padW / 2};
    long[] strides = {st, st};
    INDArray x = Nd4j.rand(DataType.FLOAT, N, h, w, c).subi(0.5);
    INDArray wt = Nd4j.rand(DataType.FLOAT, k, k, c, o).subi(0.5);
    INDArray y = Nd4j.create(DataType.FLOAT, N, oh, ow, o);
    INDArray gy = Nd4j.rand(DataType.FLOAT, N, oh, ow, o).subi(0.5);
    INDArray gx = Nd4j.create(DataType.FLOAT, N, h, w, c);
    INDArray gw = Nd4j.create(DataType.FLOAT, k, k, c, o);
    memory.desc xmd = desc(memory.format_tag.nhwc, N, c, h, w);
    memory.desc wmd = desc(memory.format_tag.hwio, o, c, k, k);
    memory.desc ymd = desc(memory.format_tag.nhwc, N, o, oh, ow);
    memory.desc xq = mode.equals("any") ? desc(memory.format_tag.any, N, c, h, w) : xmd;
    memory.desc yq = mode.equals("any") ? desc(memory.format_tag.any, N, o, oh, ow) : ymd;
    memory.desc wq = mode.equals("plain") ? wmd : desc(memory.format_tag.any, o, c, k, k);
    convolution_forward.primitive_desc fpd = new convolution_forward.primitive_desc(new convolution_forward.desc(
        dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct, xq, wq, yq, strides, pl, pr), eng);
    convolution_backward_data.primitive_desc dpd = new convolution_backward_data.primitive_desc(
        new convolution_backward_data.desc(dnnl.algorithm.convolution_direct, xq, wq, yq, strides, pl, pr), eng, fpd);
    convolution_backward_weights.primitive_desc wpd = new convolution_backward_weights.primitive_desc(
        new convolution_backward_weights.desc(dnnl.algorithm.convolution_direct, xq, wq, yq, strides, pl, pr), eng,
        fpd);
    convolution_forward fwd = new convolution_forward(fpd);
    convolution_backward_data bwdData = new convolution_backward_data(dpd);
    convolution_backward_weights bwdWeights = new convolution_backward_weights(wpd);
    memory xm = wrap(x, xmd);
    memory wm = wrap(wt, wmd);
    memory gym = wrap(gy, ymd);
    List<Runnable> pre = new ArrayList<>();
    List<Runnable> post = new ArrayList<>();
    List<Runnable> preB = new ArrayList<>();
    List<Runnable> postB = new ArrayList<>();
    IntMemoryMap fa = new IntMemoryMap();
    fa.put(dnnl.DNNL_ARG_SRC, as(xm, fpd.src_desc(), pre, true));
    fa.put(dnnl.DNNL_ARG_WEIGHTS, as(wm, fpd.weights_desc(), pre, true));
    fa.put(dnnl.DNNL_ARG_DST, as(wrap(y, ymd), fpd.dst_desc(), post, false));
    IntMemoryMap da = new IntMemoryMap();
    da.put(dnnl.DNNL_ARG_DIFF_DST, as(gym, dpd.diff_dst_desc(), preB, true));
    da.put(dnnl.DNNL_ARG_WEIGHTS, as(wm, dpd.weights_desc(), preB, true));
    da.put(dnnl.DNNL_ARG_DIFF_SRC, as(wrap(gx, xmd), dpd.diff_src_desc(), postB, false));
    IntMemoryMap wa = new IntMemoryMap();
    wa.put(dnnl.DNNL_ARG_SRC, as(xm, wpd.src_desc(), preB, true));
    wa.put(dnnl.DNNL_ARG_DIFF_DST, as(gym, wpd.diff_dst_desc(), preB, true));
    wa.put(dnnl.DNNL_ARG_DIFF_WEIGHTS, as(wrap(gw, wmd), wpd.diff_weights_desc(), postB, false));
    double[] f = new double[reps];
    double[] b = new double[reps];
    for (int i = 0; i < reps + WARMUP; i++) {
      long t0 = System.nanoTime();
      pre.forEach(Runnable::run);
      fwd.execute(strm, fa);
      post.forEach(Runnable::run);
      strm._wait();
      long t1 = System.nanoTime();
      preB.forEach(Runnable::run);
      bwdData.execute(strm, da);
      bwdWeights.execute(strm, wa);
      postB.forEach(Runnable::run);
      strm._wait();
      long t2 = System.nanoTime();
      if (i >= WARMUP) {
        f[i - WARMUP] = (t1 - t0) / 1e6;
        b[i - WARMUP] = (t2 - t1) / 1e6;
      }
    }
    Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(st).sW(st).paddingMode(PaddingMode.SAME)
        .dataFormat("NHWC").weightsFormat(WeightsFormat.YXIO).build();
    INDArray y2 = y.ulike();
    INDArray gx2 = gx.ulike();
    INDArray gw2 = gw.ulike();
    Conv2D cf = new Conv2D(new INDArray[] {x, wt}, new INDArray[] {y2}, cfg);
    int[] iargs = Arrays.stream(cf.iArgs()).mapToInt(v -> (int) v).toArray();
    DynamicCustomOp cb = DynamicCustomOp.builder("conv2d_bp").addInputs(x, wt, gy).addOutputs(gx2, gw2)
        .addIntegerArguments(iargs).build();
    double[] lf = new double[reps];
    double[] lb = new double[reps];
    for (int i = 0; i < reps + WARMUP; i++) {
      long t0 = System.nanoTime();
      Nd4j.exec(cf);
      long t1 = System.nanoTime();
      Nd4j.exec(cb);
      long t2 = System.nanoTime();
      if (i >= WARMUP) {
        lf[i - WARMUP] = (t1 - t0) / 1e6;
        lb[i - WARMUP] = (t2 - t1) / 1e6;
      }
    }
    double[] r = {median(f), median(b), median(lf), median(lb)};
    System.out.printf("c%d %dx%d -> %d k%d s%d: oneDNN fwd %.2f bwd %.2f | libnd4j fwd %.2f bwd %.2f ms | "
        + "rel err y %.1e dx %.1e dW %.1e | %s / %s / %s%n", c, h, w, o, k, st, r[0], r[1], r[2], r[3],
        relErr(y, y2), relErr(gx, gx2), relErr(gw, gw2), fpd.impl_info_str().getString(),
        dpd.impl_info_str().getString(), wpd.impl_info_str().getString());
    return r;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double relErr(INDArray a, INDArray ref) {
    return a.sub(ref).norm2Number().doubleValue() / ref.norm2Number().doubleValue();
  }
}
