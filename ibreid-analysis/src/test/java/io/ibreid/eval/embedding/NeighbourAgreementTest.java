package io.ibreid.eval.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.features.FeatureMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeighbourAgreementTest {
  static double[] squared(double[] y, int n, int dims) {
    double[][] rows = new double[n][dims];
    for (int i = 0; i < n; i++) {
      System.arraycopy(y, i * dims, rows[i], 0, dims);
    }
    return Tsne.squaredEuclidean(rows);
  }

  /**
   * Five points on a line: p0 x=0 (A, visible), p1 x=1 (A, infrared), p2 x=3 (B, visible), p3 x=4 (B, infrared),
   * p4 x=10 (A, visible).
   * k = 1: p0 -> p1, p1 -> p0, p2 -> p3, p3 -> p2, p4 -> p3. Same identity 4/5, same modality 0/5. Nearest of the
   * other modality: the same neighbours; same identity 4/5 (only p4 -> p3 differs).
   * k = 2: p0 -> {p1, p2}: id 1/2, mod 1/2; p1 -> {p0, p2}: id 1/2, mod 0; p2 -> {p3, p1}: id 1/2, mod 0;
   * p3 -> {p2, p1}: id 1/2, mod 1/2; p4 -> {p3, p2}: id 0, mod 1/2. Mean id 0.4, mod 0.3. Two nearest of the other
   * modality: p0 -> {p1, p3}, p1 -> {p0, p2}, p2 -> {p3, p1}, p3 -> {p2, p0}, p4 -> {p3, p1}: 1/2 each, mean 0.5.
   */
  @Test
  void handCaseOnALine() {
    double[] x = {0, 1, 3, 4, 10};
    int[] id = {1, 1, 2, 2, 1};
    int[] mod = {0, 1, 0, 1, 0};
    double[] d = squared(x, 5, 1);
    NeighbourAgreement.Scores k1 = NeighbourAgreement.of(d, 5, id, mod, 1);
    assertThat(k1.sameIdentity()).isCloseTo(0.8, within(1e-12));
    assertThat(k1.sameModality()).isCloseTo(0.0, within(1e-12));
    assertThat(k1.crossModalIdentity()).isCloseTo(0.8, within(1e-12));
    NeighbourAgreement.Scores k2 = NeighbourAgreement.of(d, 5, id, mod, 2);
    assertThat(k2.sameIdentity()).isCloseTo(0.4, within(1e-12));
    assertThat(k2.sameModality()).isCloseTo(0.3, within(1e-12));
    assertThat(k2.crossModalIdentity()).isCloseTo(0.5, within(1e-12));
    assertThat(NeighbourAgreement.ofPoints(x, 5, 1, id, mod, 2)).isEqualTo(k2);
  }

  /**
   * Same labels: identity A has 3 points, B 2; visible 3, infrared 2. Chance of a same-identity neighbour:
   * A points 2/4 each, B points 1/4 each: (3 * 0.5 + 2 * 0.25) / 5 = 0.4. Same modality: visible 2/4, infrared 1/4:
   * 0.4. Cross-modal: an A-visible point (2 of them) sees infrared {A, B}: 1/2; B-visible: infrared {A, B}: 1/2;
   * A-infrared: visible {A, B, A}: 2/3; B-infrared: 1/3. Mean (0.5 + 0.5 + 0.5 + 2/3 + 1/3) / 5 = 0.5.
   */
  @Test
  void chanceLevels() {
    NeighbourAgreement.Scores c = NeighbourAgreement.chance(new int[] {1, 1, 2, 2, 1}, new int[] {0, 1, 0, 1, 0});
    assertThat(c.sameIdentity()).isCloseTo(0.4, within(1e-12));
    assertThat(c.sameModality()).isCloseTo(0.4, within(1e-12));
    assertThat(c.crossModalIdentity()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void tiesGoToTheLowerIndex() {
    double[] d = {
        0, 1, 1, 1,
        1, 0, 1, 1,
        1, 1, 0, 1,
        1, 1, 1, 0};
    assertThat(NeighbourAgreement.nearest(d, 4, 2, 2, j -> true)).containsExactly(0, 1);
    assertThat(NeighbourAgreement.nearest(d, 4, 0, 3, j -> j != 1)).containsExactly(2, 3);
  }

  @Test
  void featureDistancesMatchTheDefinitions() {
    Random r = new Random(4);
    int n = 30;
    float[][] f = new float[n][7];
    for (float[] row : f) {
      for (int k = 0; k < row.length; k++) {
        row[k] = (float) r.nextGaussian();
      }
    }
    FeatureMatrix m = FeatureMatrix.of(f);
    double[] cos = FeatureDistances.squared(m, Distance.COSINE, KernelFactory.BLAS);
    double[] euc = FeatureDistances.squared(m, Distance.EUCLIDEAN, KernelFactory.BLAS);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double dot = 0;
        double ni = 0;
        double nj = 0;
        double e = 0;
        for (int k = 0; k < 7; k++) {
          dot += (double) f[i][k] * f[j][k];
          ni += (double) f[i][k] * f[i][k];
          nj += (double) f[j][k] * f[j][k];
          e += ((double) f[i][k] - f[j][k]) * ((double) f[i][k] - f[j][k]);
        }
        double unitSquared = i == j ? 0 : 2 - 2 * dot / Math.sqrt(ni * nj);
        assertThat(cos[i * n + j]).isCloseTo(unitSquared, within(1e-5));
        assertThat(euc[i * n + j]).isCloseTo(i == j ? 0 : e, within(1e-4 * (1 + e)));
        assertThat(cos[i * n + j]).isEqualTo(cos[j * n + i]).isGreaterThanOrEqualTo(0);
      }
    }
  }
}
