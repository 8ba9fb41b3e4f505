package io.ibreid.encoders.fast;

import io.ibreid.core.natives.NativeRuntime;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The kernels a {@link Trunk} runs its steps with, chosen once when the trunk is built, as a DL4J layer chooses its
 * helper: {@link OneDnnKernels} (oneDNN's primitives, kept per unit and batch size) for float NHWC arrays on ND4J's
 * CPU backend with oneDNN's binding loaded and direct kernels allowed ({@link NativeRuntime#directKernelsAllowed}),
 * {@link Libnd4jKernels} (libnd4j's ops) otherwise: double precision, NCHW, another backend, oneDNN's binding off.
 * The kernels give each step of the plan its own {@link Convolution}, {@link Normalisation} or {@link MaxPooling},
 * which keeps its own arrays; a convolution oneDNN must not run ({@link DnnlConv#supports}) gets libnd4j's even
 * with oneDNN's kernels. A new kind of step needs one method here and one implementation in each.
 */
interface TrunkKernels extends AutoCloseable {
  /** {@code onednn} or {@code libnd4j}. */
  String name();

  Convolution convolution(ConvUnit u);

  /** The unit's batch normalisation, followed by a ReLU when {@code relu}. */
  Normalisation normalisation(ConvUnit u, UnitParams p, boolean relu);

  MaxPooling maxPooling(PoolUnit u);

  /** Frees what the kernels hold outside the Java heap; the steps they made must not run after this. */
  @Override
  void close();

  /**
   * Whether oneDNN's kernels can run a trunk of this configuration in {@code type}: float NHWC arrays in host memory
   * (ND4J's CPU backend), with oneDNN's binding loaded.
   */
  static boolean oneDnnPossible(TrunkLayer conf, DataType type) {
    return Layout.of(conf.getDataFormat()) == Layout.NHWC && type == DataType.FLOAT && Nd4j.getEnvironment().isCPU()
        && NativeRuntime.dnnlLoaded();
  }

  /** The default: oneDNN's kernels when {@link #oneDnnPossible possible} and allowed, else libnd4j's. */
  static TrunkKernels choose(TrunkLayer conf, DataType type) {
    return of(oneDnnPossible(conf, type) && NativeRuntime.directKernelsAllowed(), conf, type);
  }

  /** oneDNN's kernels (which the caller has checked are {@link #oneDnnPossible possible}) or libnd4j's. */
  static TrunkKernels of(boolean oneDnn, TrunkLayer conf, DataType type) {
    return oneDnn ? new OneDnnKernels(conf, type) : new Libnd4jKernels(conf, type);
  }
}
