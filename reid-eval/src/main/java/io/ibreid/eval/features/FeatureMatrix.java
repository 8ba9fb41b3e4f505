package io.ibreid.eval.features;

import io.ibreid.core.IbreidException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A float32 matrix, one row per image, stored row-major in a direct (off-heap) buffer in native byte order, so BLAS
 * reads it in place and a 100k-image gallery costs no Java heap. Rows of a memory-mapped {@code .npy} file are used
 * without a copy.
 */
public final class FeatureMatrix {
  private final int rows;
  private final int dim;
  private final FloatBuffer data;
  private volatile double[] squaredNorms;

  /** Wraps {@code data} (direct, native order, at least {@code rows * dim} floats from its position). */
  public FeatureMatrix(int rows, int dim, FloatBuffer data) {
    if (rows < 0 || dim < 0) {
      throw new IllegalArgumentException("negative shape " + rows + " x " + dim);
    }
    if (!data.isDirect() || data.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException("feature data must be a direct buffer in native byte order");
    }
    if (data.remaining() < (long) rows * dim) {
      throw new IllegalArgumentException("buffer holds " + data.remaining() + " floats, shape needs " + (long) rows * dim);
    }
    this.rows = rows;
    this.dim = dim;
    this.data = data.slice();
  }

  /** Copies a heap matrix (rows of equal length) into a new off-heap matrix. */
  public static FeatureMatrix of(float[][] values) {
    int rows = values.length;
    int dim = rows == 0 ? 0 : values[0].length;
    FeatureMatrix m = allocate(rows, dim);
    for (int r = 0; r < rows; r++) {
      if (values[r].length != dim) {
        throw new IllegalArgumentException("row " + r + " has " + values[r].length + " values, row 0 has " + dim);
      }
      m.data.put(r * dim, values[r]);
    }
    return m;
  }

  /** A zero-filled off-heap matrix. */
  public static FeatureMatrix allocate(int rows, int dim) {
    long bytes = (long) rows * dim * Float.BYTES;
    if (bytes > Integer.MAX_VALUE) {
      throw new IbreidException("a " + rows + " x " + dim + " feature matrix exceeds 2 GiB; split it into parts");
    }
    return new FeatureMatrix(rows, dim,
        ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder()).asFloatBuffer());
  }

  public int rows() {
    return rows;
  }

  public int dim() {
    return dim;
  }

  public float get(int row, int col) {
    return data.get(row * dim + col);
  }

  public void set(int row, int col, float value) {
    data.put(row * dim + col, value);
  }

  /** Copies row {@code row} into {@code dst[0..dim)}. */
  public void row(int row, float[] dst) {
    data.get(row * dim, dst, 0, dim);
  }

  /** The backing buffer (position 0 = element (0,0)); shared, not copied. */
  public FloatBuffer buffer() {
    return data.duplicate();
  }

  /** A new matrix holding the given rows, in that order. */
  public FeatureMatrix select(int[] rowIndices) {
    FeatureMatrix out = allocate(rowIndices.length, dim);
    float[] tmp = new float[dim];
    for (int i = 0; i < rowIndices.length; i++) {
      row(rowIndices[i], tmp);
      out.data.put(i * dim, tmp);
    }
    return out;
  }

  /** Rows as a heap array (for small matrices and tests). */
  public float[][] toArray() {
    float[][] out = new float[rows][dim];
    for (int r = 0; r < rows; r++) {
      row(r, out[r]);
    }
    return out;
  }

  /**
   * Fails with one line naming {@code source} and the first non-finite value, if any; returns the squared L2 norm of
   * every row (computed once, then cached: the matrix must not be modified afterwards).
   */
  public double[] checkFiniteAndSquaredNorms(String source) {
    double[] cached = squaredNorms;
    if (cached != null) {
      return cached;
    }
    double[] norms = new double[rows];
    float[] tmp = new float[dim];
    for (int r = 0; r < rows; r++) {
      row(r, tmp);
      // four independent partial sums: no loop-carried latency chain
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int c = 0;
      for (; c + 3 < dim; c += 4) {
        s0 += (double) tmp[c] * tmp[c];
        s1 += (double) tmp[c + 1] * tmp[c + 1];
        s2 += (double) tmp[c + 2] * tmp[c + 2];
        s3 += (double) tmp[c + 3] * tmp[c + 3];
      }
      for (; c < dim; c++) {
        s0 += (double) tmp[c] * tmp[c];
      }
      double s = (s0 + s1) + (s2 + s3);
      if (!Double.isFinite(s)) {
        for (int k = 0; k < dim; k++) {
          if (!Float.isFinite(tmp[k])) {
            throw new IbreidException(source + ": row " + r + " column " + k + " is " + tmp[k]
                + "; features must be finite numbers");
          }
        }
        throw new IbreidException(source + ": row " + r + " has a norm too large for float32 arithmetic");
      }
      norms[r] = s;
    }
    squaredNorms = norms;
    return norms;
  }
}
