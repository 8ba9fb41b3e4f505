package io.ibreid.eval.probe;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A dense row-major matrix of doubles: the probes' samples (rows) by feature columns. */
record Matrix(int rows, int cols, double[] data) {
  Matrix {
    if (data.length != (long) rows * cols) {
      throw new IllegalArgumentException(rows + " x " + cols + " needs " + (long) rows * cols + " values, got "
          + data.length);
    }
  }

  static Matrix of(double[][] x) {
    int n = x.length;
    int d = n == 0 ? 0 : x[0].length;
    double[] data = new double[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x[i], 0, data, i * d, d);
    }
    return new Matrix(n, d, data);
  }

  double get(int i, int j) {
    return data[i * cols + j];
  }

  /** Rows {@code idx} of this matrix, in that order. */
  Matrix rows(int[] idx) {
    double[] out = new double[idx.length * cols];
    for (int k = 0; k < idx.length; k++) {
      System.arraycopy(data, idx[k] * cols, out, k * cols, cols);
    }
    return new Matrix(idx.length, cols, out);
  }

  INDArray toNd4j() {
    return Nd4j.create(data, new long[] {rows, cols}, DataType.DOUBLE);
  }

  /** This times {@code w} (cols x k, row-major) plus the row vector {@code b} (k; null = none), in plain Java. */
  double[] times(double[] w, int k, double[] b) {
    double[] out = new double[rows * k];
    for (int i = 0; i < rows; i++) {
      int o = i * k;
      if (b != null) {
        System.arraycopy(b, 0, out, o, k);
      }
      for (int j = 0; j < cols; j++) {
        double xij = data[i * cols + j];
        if (xij != 0) {
          int wj = j * k;
          for (int c = 0; c < k; c++) {
            out[o + c] += xij * w[wj + c];
          }
        }
      }
    }
    return out;
  }
}
