package io.ibreid.eval.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Barnes-Hut t-SNE against the exact computation it approximates. */
class BarnesHutTest {
  private static double[][] points(Random r, int n, int dims) {
    double[][] x = new double[n][dims];
    for (double[] row : x) {
      for (int k = 0; k < dims; k++) {
        row[k] = r.nextGaussian();
      }
    }
    return x;
  }

  private static double[] layout(Random r, int n, double scale) {
    double[] y = new double[2 * n];
    for (int k = 0; k < y.length; k++) {
      y[k] = scale * r.nextGaussian();
    }
    return y;
  }

  @Test
  void neighboursAreTheExactNearestWithTiesToTheLowerIndex() {
    Random r = new Random(1);
    int n = 300;
    double[] d = Tsne.squaredEuclidean(points(r, n, 3));
    d[5 * n + 17] = d[5 * n + 16] = 1e-9; // a tie in row 5
    Neighbours nb = Neighbours.of(BlockDistances.dense(d, n), 7);
    for (int i = 0; i < n; i++) {
      Integer[] order = new Integer[n];
      for (int j = 0; j < n; j++) {
        order[j] = j;
      }
      int row = i;
      java.util.Arrays.sort(order, (a, b) -> Double.compare(d[row * n + a], d[row * n + b]));
      int r0 = 0;
      for (int j : order) {
        if (j == i) {
          continue;
        }
        if (r0 == 7) {
          break;
        }
        assertThat(nb.index()[i * 7 + r0]).isEqualTo(j);
        assertThat(nb.distance()[i * 7 + r0]).isEqualTo(d[i * n + j]);
        r0++;
      }
    }
    assertThat(nb.index()[5 * 7]).isEqualTo(16);
    assertThat(nb.index()[5 * 7 + 1]).isEqualTo(17);
  }

  /** With every other point as a neighbour the sparse P is the dense P. */
  @Test
  void sparseJointWithAllNeighboursEqualsTheDenseJoint() {
    Random r = new Random(2);
    int n = 25;
    double[] d = Tsne.squaredEuclidean(points(r, n, 4));
    double[] dense = Affinities.joint(d, n, 6);
    SparseJoint sparse = Affinities.sparseJoint(Neighbours.of(BlockDistances.dense(d, n), n - 1), 6);
    double[] back = sparse.toDense();
    for (int k = 0; k < n * n; k++) {
      assertThat(back[k]).isCloseTo(dense[k], within(1e-15));
    }
  }

  @Test
  void sparseJointIsSymmetricAndSumsToOne() {
    Random r = new Random(3);
    int n = 200;
    double[] d = Tsne.squaredEuclidean(points(r, n, 5));
    SparseJoint p = Affinities.sparseJoint(Neighbours.of(BlockDistances.dense(d, n), 15), 5);
    double[] dense = p.toDense();
    double total = 0;
    for (int i = 0; i < n; i++) {
      assertThat(dense[i * n + i]).isZero();
      for (int e = p.rowStart()[i] + 1; e < p.rowStart()[i + 1]; e++) {
        assertThat(p.column()[e]).isGreaterThan(p.column()[e - 1]);
      }
      for (int j = 0; j < n; j++) {
        assertThat(dense[i * n + j]).isEqualTo(dense[j * n + i]);
        total += dense[i * n + j];
      }
    }
    assertThat(total).isCloseTo(1.0, within(1e-12));
  }

  /** theta = 0 opens every cell: the tree's sums are then the exact sums (duplicated points included). */
  @Test
  void thetaZeroGivesTheExactGradient() {
    Random r = new Random(4);
    int n = 120;
    double[] d = Tsne.squaredEuclidean(points(r, n, 6));
    SparseJoint p = Affinities.sparseJoint(Neighbours.of(BlockDistances.dense(d, n), 20), 7);
    double[] y = layout(r, n, 3);
    y[2 * 7] = y[2 * 8];
    y[2 * 7 + 1] = y[2 * 8 + 1]; // points 7 and 8 coincide
    y[2 * 9] = y[2 * 8];
    y[2 * 9 + 1] = y[2 * 8 + 1]; // and 9
    for (double alpha : new double[] {1, 12}) {
      double[] exact = new double[2 * n];
      Tsne.gradient(p.toDense(), alpha, y, n, 2, exact);
      double[] bh = new double[2 * n];
      Tsne.gradientBarnesHut(p, alpha, y, 0, bh);
      for (int k = 0; k < 2 * n; k++) {
        assertThat(bh[k]).isCloseTo(exact[k], within(1e-12 * (1 + Math.abs(exact[k]))));
      }
    }
    assertThat(Tsne.kl(p, y)).isCloseTo(Tsne.kl(p.toDense(), y, n, 2), within(1e-12));
  }

  /** theta = 0.5 approximates: the gradient's error is small relative to its size. */
  @Test
  void thetaHalfApproximatesTheExactGradient() {
    Random r = new Random(5);
    int n = 1000;
    double[] d = Tsne.squaredEuclidean(points(r, n, 10));
    SparseJoint p = Affinities.sparseJoint(Neighbours.of(BlockDistances.dense(d, n), 30), 10);
    double[] y = layout(r, n, 10);
    double[] exact = new double[2 * n];
    Tsne.gradient(p.toDense(), 1, y, n, 2, exact);
    double[] bh = new double[2 * n];
    Tsne.gradientBarnesHut(p, 1, y, 0.5, bh);
    double err = 0;
    double norm = 0;
    for (int k = 0; k < 2 * n; k++) {
      err += (bh[k] - exact[k]) * (bh[k] - exact[k]);
      norm += exact[k] * exact[k];
    }
    assertThat(Math.sqrt(err / norm)).isLessThan(0.05);
  }

  @Test
  void clustersStaySeparatedAndTheLayoutIsReproducible() {
    Random r = new Random(21);
    int clusters = 5;
    int per = 80;
    int dims = 20;
    int n = clusters * per;
    double[][] x = new double[n][dims];
    int[] label = new int[n];
    for (int c = 0; c < clusters; c++) {
      for (int i = 0; i < per; i++) {
        int row = c * per + i;
        label[row] = c;
        for (int d = 0; d < dims; d++) {
          x[row][d] = (d == c ? 10 : 0) + r.nextGaussian();
        }
      }
    }
    Tsne.Options options = Tsne.Options.defaults(20, 3).withTheta(0.5);
    Tsne.Result a = new Tsne(options).embed(x);
    double[] d = NeighbourAgreementTest.squared(a.y(), n, 2);
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
    assertThat(a.kl()).isPositive();
    Tsne.Result b = new Tsne(options).embed(x);
    assertThat(b.y()).containsExactly(a.y());
  }
}
