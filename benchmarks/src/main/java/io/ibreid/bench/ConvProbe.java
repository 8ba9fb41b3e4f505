package io.ibreid.bench;

import java.util.Arrays;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times libnd4j's {@code conv2d} and {@code conv2d_bp} ops directly (no DL4J layer around them) for one shape, in
 * NCHW and NHWC: {@code ConvProbe N C H W OUT K STRIDE [repeats]}. Prints GFLOP/s of forward and backward.
 */
public final class ConvProbe {
  private ConvProbe() {}

  public static void main(String[] a) {
    io.ibreid.core.natives.NativeRuntime.load();
    int n = Integer.parseInt(a[0]);
    int c = Integer.parseInt(a[1]);
    int h = Integer.parseInt(a[2]);
    int w = Integer.parseInt(a[3]);
    int o = Integer.parseInt(a[4]);
    int k = Integer.parseInt(a[5]);
    int s = Integer.parseInt(a[6]);
    int reps = a.length > 7 ? Integer.parseInt(a[7]) : 10;
    if (a.length > 8) {
      Threads.set(Integer.parseInt(a[8]));
    }
    System.out.println("# " + Threads.describe() + "; load " + BenchMain.loadAverage());
    double sg = Sgemm.gflops(1024, 5);
    System.out.printf("SGEMM %.1f GFLOP/s%n", sg);
    for (String fmt : new String[] {"NCHW", "NHWC"}) {
      for (WeightsFormat wf : new WeightsFormat[] {WeightsFormat.OIYX, WeightsFormat.YXIO, WeightsFormat.OYXI}) {
        double[] r = time(n, c, h, w, o, k, s, fmt, wf, reps);
        System.out.printf("%s %s n%d c%d %dx%d -> %d k%d s%d: fwd %.2f ms (%.1f GFLOP/s), bwd %.2f ms (%.1f GFLOP/s)%n",
            fmt, wf, n, c, h, w, o, k, s, r[0] * 1e3, r[2] / r[0] / 1e9, r[1] * 1e3, 2 * r[2] / r[1] / 1e9);
      }
    }
  }

  static double[] time(int n, int c, int h, int w, int o, int k, int s, String fmt, WeightsFormat wf, int reps) {
    boolean nchw = fmt.equals("NCHW");
    int oh = (h + s - 1) / s;
    int ow = (w + s - 1) / s;
    INDArray x = Nd4j.rand(DataType.FLOAT, nchw ? new long[] {n, c, h, w} : new long[] {n, h, w, c});
    long[] ws = switch (wf) {
      case OIYX -> new long[] {o, c, k, k};
      case YXIO -> new long[] {k, k, c, o};
      case OYXI -> new long[] {o, k, k, c};
    };
    INDArray wt = Nd4j.rand(DataType.FLOAT, ws);
    INDArray y = Nd4j.create(DataType.FLOAT, nchw ? new long[] {n, o, oh, ow} : new long[] {n, oh, ow, o});
    INDArray gy = Nd4j.rand(DataType.FLOAT, y.shape());
    INDArray gx = Nd4j.create(DataType.FLOAT, x.shape());
    INDArray gw = Nd4j.create(DataType.FLOAT, ws);
    Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(s).sW(s).paddingMode(PaddingMode.SAME)
        .dataFormat(fmt).weightsFormat(wf).build();
    Conv2D fwd = new Conv2D(new INDArray[] {x, wt}, new INDArray[] {y}, cfg);
    long[] iargs = fwd.iArgs();
    DynamicCustomOp bwd = DynamicCustomOp.builder("conv2d_bp").addInputs(x, wt, gy).addOutputs(gx, gw)
        .addIntegerArguments(Arrays.stream(iargs).mapToInt(v -> (int) v).toArray()).build();
    double[] tf = new double[reps];
    double[] tb = new double[reps];
    for (int i = 0; i < reps + 2; i++) {
      long t0 = System.nanoTime();
      Nd4j.exec(fwd);
      long t1 = System.nanoTime();
      Nd4j.exec(bwd);
      long t2 = System.nanoTime();
      if (i >= 2) {
        tf[i - 2] = (t1 - t0) / 1e9;
        tb[i - 2] = (t2 - t1) / 1e9;
      }
    }
    Arrays.sort(tf);
    Arrays.sort(tb);
    double flops = 2.0 * n * oh * ow * o * c * k * k;
    return new double[] {tf[reps / 2], tb[reps / 2], flops};
  }
}
