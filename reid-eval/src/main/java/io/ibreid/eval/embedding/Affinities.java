package io.ibreid.eval.embedding;

import io.ibreid.core.IbreidException;
import java.util.stream.IntStream;

/**
 * The input similarities of t-SNE (van der Maaten and Hinton, JMLR 2008, section 2). For point {@code i},
 * {@code p(j|i) = exp(-beta_i d_ij) / sum_{k != i} exp(-beta_i d_ik)} over squared distances {@code d_ij}, where the
 * precision {@code beta_i = 1 / (2 sigma_i^2)} is found by binary search so that the entropy
 * {@code H(P_i) = -sum_j p(j|i) ln p(j|i)} equals {@code ln(perplexity)} (perplexity = {@code e^H} = {@code 2^H} in
 * bits). The joint distribution is the symmetrised {@code p_ij = (p(j|i) + p(i|j)) / 2n}, which sums to 1.
 */
public final class Affinities {
  /** Stop the search when the entropy is this close (nats) to {@code ln(perplexity)}. */
  public static final double ENTROPY_TOLERANCE = 1e-10;
  /** Search steps per point; bisection halves a bracket each step, so this is far more than ever needed. */
  public static final int MAX_STEPS = 200;

  /** Row-stochastic conditional probabilities {@code p(j|i)} (row i, column j; zero diagonal) and the precisions. */
  public record Conditional(int n, double[] p, double[] beta, double[] entropy) {
    public double get(int i, int j) {
      return p[i * n + j];
    }
  }

  private Affinities() {}

  /**
   * Calibrates every row of the {@code n x n} squared-distance matrix {@code squaredDistances} (row-major; only
   * off-diagonal entries are read) to {@code perplexity}, which must lie in {@code (1, n - 1]}.
   */
  public static Conditional conditional(double[] squaredDistances, int n, double perplexity) {
    if (n < 2) {
      throw new IbreidException("t-SNE needs at least 2 points, got " + n);
    }
    if (squaredDistances.length != (long) n * n) {
      throw new IllegalArgumentException("distance matrix has " + squaredDistances.length + " entries, expected "
          + (long) n * n);
    }
    if (!(perplexity > 1) || perplexity > n - 1) {
      throw new IbreidException("perplexity must be > 1 and at most the number of points - 1 (" + (n - 1)
          + "), got " + perplexity);
    }
    double target = Math.log(perplexity);
    double[] p = new double[n * n];
    double[] beta = new double[n];
    double[] entropy = new double[n];
    IntStream.range(0, n).parallel().forEach(i -> calibrateRow(squaredDistances, n, i, target, p, beta, entropy));
    return new Conditional(n, p, beta, entropy);
  }

  /** {@code p_ij = (p(j|i) + p(i|j)) / 2n}, row-major {@code n x n}, symmetric, zero diagonal, summing to 1. */
  public static double[] joint(Conditional c) {
    int n = c.n();
    double[] out = new double[n * n];
    double scale = 1.0 / (2.0 * n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        out[i * n + j] = (c.p()[i * n + j] + c.p()[j * n + i]) * scale;
      }
    }
    return out;
  }

  /** Convenience: {@link #joint(Conditional)} of {@link #conditional}. */
  public static double[] joint(double[] squaredDistances, int n, double perplexity) {
    return joint(conditional(squaredDistances, n, perplexity));
  }

  /**
   * Bisection on beta. The entropy of row i decreases monotonically in beta (from ln(n-1) at beta = 0), so the
   * bracket [lo, hi] is grown by doubling until it holds the target, then halved. Distances are shifted by the row's
   * smallest one before exponentiating, which leaves p unchanged and keeps exp from underflowing to an all-zero row.
   */
  private static void calibrateRow(double[] d, int n, int i, double target, double[] p, double[] betaOut,
      double[] entropyOut) {
    int row = i * n;
    double min = Double.POSITIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      if (j != i) {
        double v = d[row + j];
        if (!(v >= 0) || Double.isInfinite(v)) {
          throw new IbreidException("squared distance (" + i + ", " + j + ") is " + v + "; expected a finite "
              + "number >= 0");
        }
        min = Math.min(min, v);
      }
    }
    double beta = 1.0;
    double lo = 0;
    double hi = Double.POSITIVE_INFINITY;
    double h = 0;
    for (int step = 0; step < MAX_STEPS; step++) {
      h = fillRow(d, n, i, min, beta, p);
      double diff = h - target;
      if (Math.abs(diff) < ENTROPY_TOLERANCE) {
        break;
      }
      if (diff > 0) { // too flat: sharpen
        lo = beta;
        beta = Double.isInfinite(hi) ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = (beta + lo) / 2;
      }
    }
    betaOut[i] = beta;
    entropyOut[i] = h;
  }

  /** Writes row i of p for precision beta; returns its entropy in nats. */
  private static double fillRow(double[] d, int n, int i, double min, double beta, double[] p) {
    int row = i * n;
    double sum = 0;
    double weighted = 0;
    for (int j = 0; j < n; j++) {
      if (j == i) {
        p[row + j] = 0;
        continue;
      }
      double shifted = d[row + j] - min;
      double w = Math.exp(-beta * shifted);
      p[row + j] = w;
      sum += w;
      weighted += w * shifted;
    }
    for (int j = 0; j < n; j++) {
      p[row + j] /= sum;
    }
    // H = -sum p ln p with p = w / sum and ln w = -beta * shifted
    return Math.log(sum) + beta * weighted / sum;
  }
}
