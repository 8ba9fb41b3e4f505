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
 * Checks, before the first training step allocates anything, that one step fits in the native memory ND4J may still
 * use: DL4J's memory report of the model's graph (parameters, activations, gradients, working memory and the updater,
 * every layer's own estimate) for a batch of {@code sampler.identities × sampler.instances} images fed to every
 * branch input, against JavaCPP's limits ({@link Pointer#maxBytes()} off-heap, {@link Pointer#maxPhysicalBytes()}
 * for the whole process, heap included). A step that does not fit is one line naming {@code input.height} and
 * {@code input.width} and the largest size of the same aspect that fits, instead of an
 * {@code OutOfMemoryError} deep inside a step.
 */
public final class MemoryCheck {
  private MemoryCheck() {}

  /** Fails with one line when a training step of {@code config} on {@code model} cannot fit. */
  public static void check(RunConfig config, ReidModel model) {
    long available = available();
    if (available == Long.MAX_VALUE) {
      return;
    }
    int images = config.sampler.identities * config.sampler.instances;
    ComputationGraphConfiguration graph = model.graph().getConfiguration();
    DataType type = "double".equals(config.precision) ? DataType.DOUBLE : DataType.FLOAT;
    int h = config.input.height;
    int w = config.input.width;
    long need = bytes(graph, h, w, images, type);
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
      if (mh >= 1 && mw >= 1 && bytes(graph, mh, mw, images, type) <= available) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    int fh = (int) Math.floor(h * lo);
    int fw = (int) Math.floor(w * lo);
    String fits = fh >= 1 && fw >= 1 ? "about " + fh + " x " + fw + " would fit" : "no input size fits";
    throw new IbreidException("input.height x input.width = " + h + " x " + w + " needs about " + gb(need)
        + " of native memory for one training step of " + images + " images, and this process may use "
        + gb(available) + " more (heap " + gb(Runtime.getRuntime().maxMemory()) + ", JavaCPP maxPhysicalBytes "
        + gb(Pointer.maxPhysicalBytes()) + "); " + fits + ", or take fewer images per batch (sampler.identities x "
        + "sampler.instances) or give the process more memory (IBREID_JAVA_OPTS=-Xmx...)");
  }

  /** The memory DL4J's report estimates for one training step of {@code images} images of h × w, in bytes. */
  static long bytes(ComputationGraphConfiguration graph, int h, int w, int images, DataType type) {
    InputType[] inputs = new InputType[graph.getNetworkInputs().size()];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = InputType.convolutional(h, w, 3);
    }
    NetworkMemoryReport report = graph.getMemoryReport(inputs);
    long total = report.getTotalMemoryBytes(images, MemoryUseMode.TRAINING, CacheMode.NONE, type);
    // the batch itself, as two halves of pixels (the wiring's copies are in the report's inputs)
    long pixels = Math.multiplyExact(Math.multiplyExact((long) h, (long) w), 3L * images);
    return Math.addExact(total, Math.multiplyExact(pixels, (long) type.width()));
  }

  /**
   * What native memory this process may still allocate: the smaller of JavaCPP's off-heap room
   * ({@code maxBytes - totalBytes}) and its physical room ({@code maxPhysicalBytes - physicalBytes}, less the heap's
   * room to grow); {@link Long#MAX_VALUE} when neither limit is set.
   */
  static long available() {
    long room = Long.MAX_VALUE;
    long maxBytes = Pointer.maxBytes();
    if (maxBytes > 0) {
      room = Math.min(room, Math.max(0, maxBytes - Pointer.totalBytes()));
    }
    long maxPhysical = Pointer.maxPhysicalBytes();
    if (maxPhysical > 0) {
      Runtime rt = Runtime.getRuntime();
      long heapGrowth = Math.max(0, rt.maxMemory() - rt.totalMemory());
      room = Math.min(room, Math.max(0, maxPhysical - Pointer.physicalBytes() - heapGrowth));
    }
    return room;
  }

  static String gb(long bytes) {
    return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
  }
}
