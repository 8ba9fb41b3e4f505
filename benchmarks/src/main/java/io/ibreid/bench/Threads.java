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

  /**
   * A setting "N" (every pool N threads) or "ND4J/OMP/BLAS": libnd4j's op threads, OpenMP's thread count (oneDNN and
   * an OpenMP BLAS build run on it) and the BLAS library's own count. The BLAS count is set before OpenMP's, since an
   * OpenMP build of OpenBLAS sets OpenMP's count as well.
   */
  public static void set(String setting) {
    String[] p = setting.split("/");
    if (p.length == 1) {
      set(Integer.parseInt(p[0].trim()));
      return;
    }
    if (p.length != 3) {
      throw new IllegalArgumentException("thread setting: N or ND4J/OMP/BLAS, got " + setting);
    }
    int nd4j = Integer.parseInt(p[0].trim());
    Nd4j.getEnvironment().setMaxThreads(nd4j);
    Nd4j.getEnvironment().setMaxMasterThreads(nd4j);
    Nd4j.factory().blas().setMaxThreads(Integer.parseInt(p[2].trim()));
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(Integer.parseInt(p[1].trim()));
  }

  public static String describe() {
    return "nd4j max " + Nd4j.getEnvironment().maxThreads() + ", master " + Nd4j.getEnvironment().maxMasterThreads()
        + ", omp " + NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads() + ", blas "
        + Nd4j.factory().blas().getMaxThreads() + " (" + Nd4j.factory().blas().getBlasVendor() + ")";
  }
}
