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
    try (DistanceKernel kernel = kernels.create(features, features, distance)) {
      float[] block = new float[Math.min(BLOCK, Math.max(n, 1)) * n];
      for (int from = 0; from < n; from += BLOCK) {
        int count = Math.min(BLOCK, n - from);
        kernel.distances(from, count, block);
        for (int r = 0; r < count; r++) {
          for (int j = 0; j < n; j++) {
            double d = block[r * n + j];
            out[(from + r) * n + j] = distance == Distance.COSINE ? 2 * d : d * d;
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      out[i * n + i] = 0;
      for (int j = i + 1; j < n; j++) {
        double s = Math.max(0, 0.5 * (out[i * n + j] + out[j * n + i]));
        out[i * n + j] = s;
        out[j * n + i] = s;
      }
    }
    return out;
  }
}
