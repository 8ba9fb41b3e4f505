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
    IntStream.range(0, n).parallel().forEach(i -> {
      double[] be = calibrate(squaredDistances, i * n, n, i, target, p, "(" + i + ", ");
      beta[i] = be[0];
      entropy[i] = be[1];
    });
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
   * Sparse input similarities for Barnes-Hut t-SNE (van der Maaten, JMLR 2014): {@code p(j|i)} is calibrated over
   * the {@code K} nearest neighbours of i only (K = {@code neighbours.k()}, normally {@code 3 * perplexity}) and is
   * zero elsewhere; then {@code p_ij = (p(j|i) + p(i|j)) / 2n} as in the exact case, so the result still sums to 1.
   */
  public static SparseJoint sparseJoint(Neighbours neighbours, double perplexity) {
    int n = neighbours.n();
    int k = neighbours.k();
    if (!(perplexity > 1) || perplexity > k) {
      throw new IbreidException("perplexity must be > 1 and at most the number of neighbours (" + k + "), got "
          + perplexity);
    }
    double target = Math.log(perplexity);
    double[] conditional = new double[n * k];
    IntStream.range(0, n).parallel().forEach(i -> calibrate(neighbours.distance(), i * k, k, -1, target,
        conditional, "(" + i + ", neighbour "));
    return SparseJoint.symmetrise(neighbours, conditional);
  }

  /**
   * Writes into {@code p[from, from + len)} the distribution {@code exp(-beta d) / sum} over the slice
   * {@code d[from, from + len)} (slot {@code skip} excluded and set to 0; -1 for none), with beta found by
   * bisection so that its entropy is {@code target} nats; returns {beta, entropy}. The entropy decreases
   * monotonically in beta (from ln(m) at beta = 0 for m entries), so the bracket [lo, hi] is grown by doubling until
   * it holds the target, then halved. Distances are shifted by the smallest one before exponentiating, which leaves
   * p unchanged and keeps exp from underflowing to an all-zero row.
   */
  private static double[] calibrate(double[] d, int from, int len, int skip, double target, double[] p,
      String where) {
    double min = Double.POSITIVE_INFINITY;
    for (int j = 0; j < len; j++) {
      if (j != skip) {
        double v = d[from + j];
        if (!(v >= 0) || Double.isInfinite(v)) {
          throw new IbreidException("squared distance " + where + j + ") is " + v + "; expected a finite "
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
      h = fill(d, from, len, skip, min, beta, p);
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
    return new double[] {beta, h};
  }

  /** Writes the slice's distribution for precision beta; returns its entropy in nats. */
  private static double fill(double[] d, int from, int len, int skip, double min, double beta, double[] p) {
    double sum = 0;
    double weighted = 0;
    for (int j = 0; j < len; j++) {
      if (j == skip) {
        p[from + j] = 0;
        continue;
      }
      double shifted = d[from + j] - min;
      double w = Math.exp(-beta * shifted);
      p[from + j] = w;
      sum += w;
      weighted += w * shifted;
    }
    for (int j = 0; j < len; j++) {
      p[from + j] /= sum;
    }
    // H = -sum p ln p with p = w / sum and ln w = -beta * shifted
    return Math.log(sum) + beta * weighted / sum;
  }
}
