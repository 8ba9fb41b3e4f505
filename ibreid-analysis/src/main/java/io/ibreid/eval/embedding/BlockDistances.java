package io.ibreid.eval.embedding;

/**
 * Distances from a block of points to all {@code n} points, one block of rows at a time, so that neighbour searches
 * over many points never hold the whole {@code n x n} matrix. Values are any monotone function of the distance (the
 * implementations here give squared distances). Implementations may hold native buffers until closed.
 */
public interface BlockDistances extends AutoCloseable {
  /** The number of points n. */
  int size();

  /** Writes {@code out[r * size() + j]} = distance of point {@code from + r} to point j, for {@code r < count}. */
  void rows(int from, int count, double[] out);

  @Override
  default void close() {}

  /** A row-major {@code n x n} matrix held in memory. */
  static BlockDistances dense(double[] matrix, int n) {
    if (matrix.length != (long) n * n) {
      throw new IllegalArgumentException("matrix has " + matrix.length + " entries, expected " + (long) n * n);
    }
    return new BlockDistances() {
      @Override
      public int size() {
        return n;
      }

      @Override
      public void rows(int from, int count, double[] out) {
        System.arraycopy(matrix, from * n, out, 0, count * n);
      }
    };
  }

  /** Squared Euclidean distances between rows of a row-major {@code n x dims} coordinate array, computed on demand. */
  static BlockDistances points(double[] y, int n, int dims) {
    return new BlockDistances() {
      @Override
      public int size() {
        return n;
      }

      @Override
      public void rows(int from, int count, double[] out) {
        java.util.stream.IntStream.range(0, count).parallel().forEach(r -> {
          int i = from + r;
          for (int j = 0; j < n; j++) {
            double s = 0;
            for (int d = 0; d < dims; d++) {
              double diff = y[i * dims + d] - y[j * dims + d];
              s += diff * diff;
            }
            out[r * n + j] = s;
          }
        });
      }
    };
  }
}
