package io.ibreid.eval.embedding;

import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.DistanceKernel;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.features.FeatureMatrix;

/**
 * All pairwise squared distances between the rows of a feature matrix, computed with the same kernel and the same
 * definitions as the evaluation ({@link Distance}), so that feature-space neighbours are the evaluation's neighbours.
 * For {@link Distance#COSINE} the result is the squared Euclidean distance between the L2-normalised rows,
 * {@code 2 (1 - cos)}; for {@link Distance#EUCLIDEAN} it is {@code |x_i - x_j|^2}. The matrix is made exactly
 * symmetric (mean of the two float32 products), with a zero diagonal and no negative entries.
 */
public final class FeatureDistances {
  private static final int BLOCK = 256;

  private FeatureDistances() {}

  /** Row-major {@code n x n} squared distances. */
  public static double[] squared(FeatureMatrix features, Distance distance, KernelFactory kernels) {
    int n = features.rows();
    double[] out = new double[n * n];
    try (BlockDistances blocks = blocks(features, distance, kernels)) {
      double[] block = new double[Math.min(BLOCK, Math.max(n, 1)) * n];
      for (int from = 0; from < n; from += BLOCK) {
        int count = Math.min(BLOCK, n - from);
        blocks.rows(from, count, block);
        System.arraycopy(block, 0, out, from * n, count * n);
      }
    }
    for (int i = 0; i < n; i++) {
      out[i * n + i] = 0;
      for (int j = i + 1; j < n; j++) {
        double s = 0.5 * (out[i * n + j] + out[j * n + i]);
        out[i * n + j] = s;
        out[j * n + i] = s;
      }
    }
    return out;
  }

  /**
   * The same squared distances as a block source over the kernel, for many points: nothing of size {@code n x n} is
   * held (the rows of one block at a time). Not symmetrised: entry (i, j) and (j, i) may differ in the last float32
   * bit. Close it to release the kernel.
   */
  public static BlockDistances blocks(FeatureMatrix features, Distance distance, KernelFactory kernels) {
    int n = features.rows();
    DistanceKernel kernel = kernels.create(features, features, distance);
    return new BlockDistances() {
      private float[] scratch = new float[0];

      @Override
      public int size() {
        return n;
      }

      @Override
      public void rows(int from, int count, double[] out) {
        if (scratch.length < count * n) {
          scratch = new float[count * n];
        }
        kernel.distances(from, count, scratch);
        for (int k = 0; k < count * n; k++) {
          double d = scratch[k];
          out[k] = Math.max(0, distance == Distance.COSINE ? 2 * d : d * d);
        }
      }

      @Override
      public void close() {
        kernel.close();
      }
    };
  }
}
