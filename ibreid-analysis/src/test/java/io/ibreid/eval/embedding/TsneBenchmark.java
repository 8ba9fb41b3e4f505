package io.ibreid.eval.embedding;

import java.util.Locale;
import java.util.Random;

/**
 * Times exact and Barnes-Hut t-SNE (not a unit test; run by {@code benchmarks/tsne/run.sh}). Arguments: sizes
 * prefixed with {@code e} (exact) or {@code b} (Barnes-Hut, theta 0.5), e.g. {@code e1000 b1000 b5000}. Points: 64-D,
 * 20 Gaussian clusters (centres 8 apart on the axes, unit spread); perplexity 30, 1,000 iterations. First prints the
 * relative L2 error of the Barnes-Hut gradient at theta 0.2, 0.5 and 0.8 on 1,000 random 10-D points (random
 * layout of spread 10, 30 neighbours, perplexity 10).
 */
public final class TsneBenchmark {
  private TsneBenchmark() {}

  public static void main(String[] args) {
    Random r = new Random(5);
    int n0 = 1000;
    double[][] x0 = new double[n0][10];
    for (double[] row : x0) {
      for (int k = 0; k < 10; k++) {
        row[k] = r.nextGaussian();
      }
    }
    SparseJoint p0 = Affinities.sparseJoint(Neighbours.of(BlockDistances.dense(Tsne.squaredEuclidean(x0), n0), 30), 10);
    double[] y0 = new double[2 * n0];
    for (int k = 0; k < y0.length; k++) {
      y0[k] = 10 * r.nextGaussian();
    }
    double[] exact = new double[2 * n0];
    Tsne.gradient(p0.toDense(), 1, y0, n0, 2, exact);
    for (double theta : new double[] {0.2, 0.5, 0.8}) {
      double[] bh = new double[2 * n0];
      Tsne.gradientBarnesHut(p0, 1, y0, theta, bh);
      double err = 0;
      double norm = 0;
      for (int k = 0; k < 2 * n0; k++) {
        err += (bh[k] - exact[k]) * (bh[k] - exact[k]);
        norm += exact[k] * exact[k];
      }
      System.out.printf(Locale.ROOT, "theta %.1f: relative gradient error %.4f%n", theta, Math.sqrt(err / norm));
    }
    for (String arg : args) {
      boolean isExact = arg.charAt(0) == 'e';
      int n = Integer.parseInt(arg.substring(1));
      Random rr = new Random(1);
      double[][] x = new double[n][64];
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < 64; d++) {
          x[i][d] = (d == i % 20 ? 8 : 0) + rr.nextGaussian();
        }
      }
      long t0 = System.nanoTime();
      Tsne.Result res = new Tsne(Tsne.Options.defaults(30, 0).withTheta(isExact ? 0 : 0.5)).embed(x);
      System.out.printf(Locale.ROOT, "%-16s n=%5d: %6.2f s, KL %.3f%n", isExact ? "exact" : "barnes-hut 0.5", n,
          (System.nanoTime() - t0) / 1e9, res.kl());
    }
  }
}
