package io.ibreid.encoders.fast;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Constant arrays a trunk's batch normalisations share, by length, allocated once outside DL4J's workspaces. */
final class Constants {
  private final DataType type;
  private final Map<Long, INDArray> onesRows = new HashMap<>();
  private final Map<Long, INDArray> ones = new HashMap<>();
  private final Map<Long, INDArray> zeros = new HashMap<>();

  Constants(DataType type) {
    this.type = type;
  }

  /** A 1×m row of ones: its product with an m×C matrix sums every column in one BLAS call. */
  INDArray onesRow(long m) {
    return onesRows.computeIfAbsent(m, k -> Nd4j.valueArrayOf(new long[] {1, m}, 1.0, type));
  }

  /** A vector of n ones. */
  INDArray ones(long n) {
    return ones.computeIfAbsent(n, k -> Nd4j.valueArrayOf(new long[] {n}, 1.0, type));
  }

  /** A vector of n zeros. */
  INDArray zeros(long n) {
    return zeros.computeIfAbsent(n, k -> Nd4j.valueArrayOf(new long[] {n}, 0.0, type));
  }
}
