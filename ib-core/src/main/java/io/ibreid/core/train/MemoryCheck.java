package io.ibreid.core.train;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.config.RunConfig;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.conf.memory.NetworkMemoryReport;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Checks, before the first training step allocates anything, that one step fits in the memory this process may still
 * use: {@link #FACTOR} times DL4J's memory report of the model's graph (parameters, activations, gradients, working
 * memory and the updater, every layer's own estimate) for a batch of {@code sampler.identities × sampler.instances}
 * images fed to every branch input, against JavaCPP's limit on the process's resident memory
 * ({@link Pointer#maxPhysicalBytes()}, heap included; ND4J's arrays are not counted in {@link Pointer#maxBytes()}, so
 * that one does not bind). A step that does not fit is one line naming {@code input.height} and {@code input.width}
 * and the largest size of the same aspect that fits, instead of an {@code OutOfMemoryError} deep inside a step.
 */
public final class MemoryCheck {
  /**
   * Resident memory a training step adds per byte of DL4J's report, rounded up from the growth measured between two
   * input sizes (peak RSS of {@code ibreid train}, 2 steps of 6 images, 2026-12-06, AVX-512 machine): small-resnet
   * 3.75 (600x300 → 1000x500), fast-resnet 2.66 (same sizes), resnet50 2.53 (128x64 → 256x128). DL4J's report leaves
   * out workspace over-allocation and the convolutions' backward buffers.
   */
  static final double FACTOR = 4.0;

  private MemoryCheck() {}

  /** Fails with one line when a training step of {@code config} on {@code model} cannot fit. */
  public static void check(RunConfig config, ReidModel model) {
    long available = available();
    if (available == Long.MAX_VALUE) {
      return;
    }
    int images = config.sampler.identities * config.sampler.instances;
    DataType type = "double".equals(config.precision) ? DataType.DOUBLE : DataType.FLOAT;
    int h = config.input.height;
    int w = config.input.width;
    long need = bytes(model, h, w, images, type);
    if (need <= available) {
      return;
    }
    // the largest size of the same aspect ratio that fits, by bisection on the scale
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 30; i++) {
      double mid = (lo + hi) / 2;
      int mh = (int) Math.floor(h * mid);
      int mw = (int) Math.floor(w * mid);
      if (mh >= 1 && mw >= 1 && bytes(model, mh, mw, images, type) <= available) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    int fh = (int) Math.floor(h * lo);
    int fw = (int) Math.floor(w * lo);
    String fits = fh >= 1 && fw >= 1 ? "about " + fh + " x " + fw + " would fit" : "no input size fits";
    throw new IbreidException("input.height x input.width = " + h + " x " + w + " needs about " + gb(need)
        + " of memory for one training step of " + images + " images, and this process may use " + gb(available)
        + " more (JavaCPP maxPhysicalBytes " + gb(Pointer.maxPhysicalBytes()) + " with a heap of "
        + gb(Runtime.getRuntime().maxMemory()) + "); " + fits + ", or take fewer images per batch "
        + "(sampler.identities x sampler.instances) or give the process more memory (IBREID_JAVA_OPTS=-Xmx...)");
  }

  /**
   * {@link #FACTOR} × DL4J's report for one training step of {@code images} images of h × w, in bytes (noise inputs
   * at their own sizes: {@link ReidModel#inputTypes}).
   */
  static long bytes(ReidModel model, int h, int w, int images, DataType type) {
    ComputationGraphConfiguration graph = model.graph().getConfiguration();
    InputType[] inputs = model.inputTypes(h, w);
    NetworkMemoryReport report = graph.getMemoryReport(inputs);
    long total = report.getTotalMemoryBytes(images, MemoryUseMode.TRAINING, CacheMode.NONE, type);
    return (long) Math.min(Long.MAX_VALUE / 2.0, FACTOR * total);
  }

  /**
   * What memory this process may still take: JavaCPP's physical room ({@code maxPhysicalBytes - physicalBytes}), less
   * the heap's room to grow; {@link Long#MAX_VALUE} when no limit is set.
   */
  static long available() {
    long maxPhysical = Pointer.maxPhysicalBytes();
    if (maxPhysical <= 0) {
      return Long.MAX_VALUE;
    }
    Runtime rt = Runtime.getRuntime();
    long heapGrowth = Math.max(0, rt.maxMemory() - rt.totalMemory());
    return Math.max(0, maxPhysical - Pointer.physicalBytes() - heapGrowth);
  }

  static String gb(long bytes) {
    return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
  }
}
