package io.ibreid.eval.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TsneTest {
  /** A direct transcription of the cost, q_ij formed explicitly: -alpha sum p ln q + (alpha - 1) ... (see below). */
  private static double referenceCost(double[] p, double alpha, double[] y, int n, int dims) {
    // C_alpha = sum_ij alpha p_ij ln(alpha p_ij / q_ij) over p_ij > 0; for alpha = 1 this is KL(P || Q). Its gradient
    // is 4 sum_j (alpha p_ij - alpha q_ij) w_ij (y_i - y_j) because sum alpha p = alpha, so it is NOT the exaggerated
    // step of the paper for alpha != 1; the exaggerated step is the gradient of -alpha sum p ln w + ln Z (below).
    double z = 0;
    double[] w = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j) {
          double d2 = 0;
          for (int d = 0; d < dims; d++) {
            double diff = y[i * dims + d] - y[j * dims + d];
            d2 += diff * diff;
          }
          w[i * n + j] = 1 / (1 + d2);
          z += w[i * n + j];
        }
      }
    }
    double c = 0;
    for (int k = 0; k < n * n; k++) {
      if (p[k] > 0) {
        c += p[k] * Math.log(p[k] / (w[k] / z));
      }
    }
    if (alpha == 1) {
      return c;
    }
    double exaggerated = Math.log(z);
    for (int k = 0; k < n * n; k++) {
      if (p[k] > 0) {
        exaggerated -= alpha * p[k] * Math.log(w[k]);
      }
    }
    return exaggerated;
  }

  private static double[][] randomPoints(Random r, int n, int dims) {
    double[][] x = new double[n][dims];
    for (double[] row : x) {
      for (int k = 0; k < dims; k++) {
        row[k] = r.nextGaussian();
      }
    }
    return x;
  }

  @Test
  void klMatchesTheDirectDefinition() {
    Random r = new Random(5);
    int n = 15;
    double[] p = Affinities.joint(Tsne.squaredEuclidean(randomPoints(r, n, 6)), n, 5);
    double[] y = new double[n * 2];
    for (int k = 0; k < y.length; k++) {
      y[k] = r.nextGaussian();
    }
    assertThat(Tsne.kl(p, y, n, 2)).isCloseTo(referenceCost(p, 1, y, n, 2), within(1e-12));
    assertThat(Tsne.kl(p, y, n, 2)).isPositive();
  }

  @Test
  void analyticGradientMatchesFiniteDifferences() {
    Random r = new Random(7);
    for (int dims : new int[] {2, 3}) {
      for (double alpha : new double[] {1, 12}) {
        int n = 11;
        double[] p = Affinities.joint(Tsne.squaredEuclidean(randomPoints(r, n, 4)), n, 4);
        double[] y = new double[n * dims];
        for (int k = 0; k < y.length; k++) {
          y[k] = 2 * r.nextGaussian();
        }
        double[] grad = new double[n * dims];
        Tsne.gradient(p, alpha, y, n, dims, grad);
        double worst = 0;
        for (int k = 0; k < y.length; k++) {
          double h = 1e-6;
          double keep = y[k];
          y[k] = keep + h;
          double up = referenceCost(p, alpha, y, n, dims);
          y[k] = keep - h;
          double down = referenceCost(p, alpha, y, n, dims);
          y[k] = keep;
          double numeric = (up - down) / (2 * h);
          double rel = Math.abs(numeric - grad[k]) / Math.max(1e-8, Math.abs(numeric) + Math.abs(grad[k]));
          worst = Math.max(worst, rel);
        }
        assertThat(worst).as("max relative error, dims %d, alpha %s", dims, alpha).isLessThan(1e-6);
      }
    }
  }

  /** Four Gaussian clusters in 20-D, centres 10 apart, unit spread: a leave-one-out 5-NN vote on the 2-D map. */
  @Test
  void wellSeparatedClustersStaySeparated() {
    Random r = new Random(21);
    int clusters = 4;
    int per = 40;
    int dims = 20;
    double[][] x = new double[clusters * per][dims];
    int[] label = new int[clusters * per];
    for (int c = 0; c < clusters; c++) {
      double[] centre = new double[dims];
      centre[c] = 10;
      for (int i = 0; i < per; i++) {
        int row = c * per + i;
        label[row] = c;
        for (int d = 0; d < dims; d++) {
          x[row][d] = centre[d] + r.nextGaussian();
        }
      }
    }
    Tsne.Result result = new Tsne(Tsne.Options.defaults(15, 1)).embed(x);
    int n = x.length;
    double[] d = NeighbourAgreementTest.squared(result.y(), n, 2);
    int correct = 0;
    for (int i = 0; i < n; i++) {
      int[] votes = new int[clusters];
      for (int j : NeighbourAgreement.nearest(d, n, i, 5, j -> true)) {
        votes[label[j]]++;
      }
      int best = 0;
      for (int c = 1; c < clusters; c++) {
        best = votes[c] > votes[best] ? c : best;
      }
      correct += best == label[i] ? 1 : 0;
    }
    assertThat((double) correct / n).isGreaterThanOrEqualTo(0.95);
    // and the clusters are apart: every between-centroid distance exceeds twice the largest within-cluster radius
    double[][] centroid = new double[clusters][2];
    for (int i = 0; i < n; i++) {
      centroid[label[i]][0] += result.get(i, 0) / per;
      centroid[label[i]][1] += result.get(i, 1) / per;
    }
    double radius = 0;
    for (int i = 0; i < n; i++) {
      radius = Math.max(radius, Math.hypot(result.get(i, 0) - centroid[label[i]][0],
          result.get(i, 1) - centroid[label[i]][1]));
    }
    for (int a = 0; a < clusters; a++) {
      for (int b = a + 1; b < clusters; b++) {
        assertThat(Math.hypot(centroid[a][0] - centroid[b][0], centroid[a][1] - centroid[b][1]))
            .isGreaterThan(2 * radius);
      }
    }
    assertThat(result.kl()).isPositive();
  }

  @Test
  void optimisationLowersTheCost() {
    Random r = new Random(2);
    int n = 60;
    double[][] x = randomPoints(r, n, 10);
    Tsne.Options options = Tsne.Options.defaults(10, 4);
    double early = new Tsne(options.withIterations(300)).embed(x).kl();
    double late = new Tsne(options.withIterations(1000)).embed(x).kl();
    assertThat(late).isLessThan(early);
  }

  @Test
  void sameSeedSameLayoutDifferentSeedDifferentLayout() {
    Random r = new Random(9);
    int n = 300; // above the size where rows are computed in parallel
    double[][] x = randomPoints(r, n, 8);
    Tsne.Options options = Tsne.Options.defaults(20, 42).withIterations(120);
    Tsne.Result a = new Tsne(options).embed(x);
    Tsne.Result b = new Tsne(options).embed(x);
    assertThat(b.y()).containsExactly(a.y());
    Tsne.Result c = new Tsne(Tsne.Options.defaults(20, 43).withIterations(120)).embed(x);
    assertThat(c.y()).isNotEqualTo(a.y());
    double meanX = 0;
    for (int i = 0; i < n; i++) {
      meanX += a.get(i, 0) / n;
    }
    assertThat(meanX).isCloseTo(0, within(1e-9));
    assertThat(a.learningRate()).isEqualTo(50.0);
  }
}
