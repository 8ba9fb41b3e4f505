package io.ibreid.bench;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** Thread settings of ND4J's native backend: its op threads, OpenMP threads and the BLAS library's threads. */
public final class Threads {
  private Threads() {}

  /** Sets ND4J's max and master threads, OpenMP's thread count and the BLAS thread count to {@code n}. */
  public static void set(int n) {
    Nd4j.getEnvironment().setMaxThreads(n);
    Nd4j.getEnvironment().setMaxMasterThreads(n);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    Nd4j.factory().blas().setMaxThreads(n);
  }

  public static String describe() {
    return "nd4j max " + Nd4j.getEnvironment().maxThreads() + ", master " + Nd4j.getEnvironment().maxMasterThreads()
        + ", omp " + NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads() + ", blas "
        + Nd4j.factory().blas().getMaxThreads() + " (" + Nd4j.factory().blas().getBlasVendor() + ")";
  }
}
