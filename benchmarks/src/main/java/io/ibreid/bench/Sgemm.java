package io.ibreid.bench;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The machine's single-precision matrix-multiply rate through ND4J ({@code mmuli} of two n×n float matrices). */
public final class Sgemm {
  private Sgemm() {}

  /** Median GFLOP/s over {@code repeats} products of size n (after two warm-up products). */
  public static double gflops(int n, int repeats) {
    INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray c = Nd4j.create(DataType.FLOAT, n, n);
    for (int i = 0; i < 2; i++) {
      a.mmuli(b, c);
    }
    double[] rates = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      a.mmuli(b, c);
      double s = (System.nanoTime() - t0) / 1e9;
      rates[i] = 2.0 * n * n * (double) n / s / 1e9;
    }
    Arrays.sort(rates);
    return rates[repeats / 2];
  }
}
