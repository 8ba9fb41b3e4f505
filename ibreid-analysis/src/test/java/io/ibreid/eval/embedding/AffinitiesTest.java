package io.ibreid.eval.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.core.IbreidException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AffinitiesTest {
  /**
   * Point 0 has neighbours at squared distances 1 and 2. The distribution (0.8, 0.2) has entropy
   * H = -(0.8 ln 0.8 + 0.2 ln 0.2) = 0.500402 nats, i.e. perplexity e^H = 1.649385. It is exp(-beta d) normalised
   * with 0.8 / 0.2 = exp(beta (2 - 1)), so beta = ln 4 = 1.386294.
   */
  @Test
  void handCaseFindsThePrecisionThatGivesTheTargetEntropy() {
    double h = -(0.8 * Math.log(0.8) + 0.2 * Math.log(0.2));
    assertThat(h).isCloseTo(0.500402, within(1e-6));
    double[] d = {
        0, 1, 2,
        1, 0, 5,
        2, 5, 0};
    Affinities.Conditional c = Affinities.conditional(d, 3, Math.exp(h));
    assertThat(c.beta()[0]).isCloseTo(Math.log(4), within(1e-8));
    assertThat(c.get(0, 1)).isCloseTo(0.8, within(1e-9));
    assertThat(c.get(0, 2)).isCloseTo(0.2, within(1e-9));
    assertThat(c.get(0, 0)).isZero();
    // row 1: distances 1 and 5, so beta = ln 4 / 4; row 2: 2 and 5, beta = ln 4 / 3
    assertThat(c.beta()[1]).isCloseTo(Math.log(4) / 4, within(1e-8));
    assertThat(c.beta()[2]).isCloseTo(Math.log(4) / 3, within(1e-8));
    assertThat(c.get(1, 0)).isCloseTo(0.8, within(1e-9));
    assertThat(c.get(2, 1)).isCloseTo(0.2, within(1e-9));
  }

  @Test
  void everyRowHitsTheTargetEntropyWhateverTheDistanceScale() {
    Random r = new Random(11);
    int n = 40;
    for (double scale : new double[] {1e-4, 1, 1e4}) {
      double[][] x = new double[n][5];
      for (double[] row : x) {
        for (int k = 0; k < row.length; k++) {
          row[k] = scale * r.nextGaussian();
        }
      }
      double perplexity = 7.5;
      Affinities.Conditional c = Affinities.conditional(Tsne.squaredEuclidean(x), n, perplexity);
      for (int i = 0; i < n; i++) {
        double sum = 0;
        double entropy = 0;
        for (int j = 0; j < n; j++) {
          double p = c.get(i, j);
          sum += p;
          entropy -= p > 0 ? p * Math.log(p) : 0;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-12));
        assertThat(entropy).as("row %d at scale %s", i, scale).isCloseTo(Math.log(perplexity), within(1e-8));
        assertThat(Math.exp(entropy)).isCloseTo(perplexity, within(1e-7));
      }
    }
  }

  @Test
  void jointIsSymmetricAndSumsToOne() {
    Random r = new Random(3);
    int n = 12;
    double[][] x = new double[n][3];
    for (double[] row : x) {
      for (int k = 0; k < row.length; k++) {
        row[k] = r.nextGaussian();
      }
    }
    Affinities.Conditional c = Affinities.conditional(Tsne.squaredEuclidean(x), n, 4);
    double[] p = Affinities.joint(c);
    double total = 0;
    for (int i = 0; i < n; i++) {
      assertThat(p[i * n + i]).isZero();
      for (int j = 0; j < n; j++) {
        assertThat(p[i * n + j]).isEqualTo(p[j * n + i]);
        assertThat(p[i * n + j]).isCloseTo((c.get(i, j) + c.get(j, i)) / (2 * n), within(1e-15));
        total += p[i * n + j];
      }
    }
    assertThat(total).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void rejectsAPerplexityTheDataCannotHave() {
    double[] d = new double[16];
    assertThatThrownBy(() -> Affinities.conditional(d, 4, 3.5)).isInstanceOf(IbreidException.class)
        .hasMessage("perplexity must be > 1 and at most the number of points - 1 (3), got 3.5");
    assertThatThrownBy(() -> Affinities.conditional(d, 4, 1)).isInstanceOf(IbreidException.class);
    double[] bad = {0, Double.NaN, 1, 0};
    assertThatThrownBy(() -> Affinities.conditional(bad, 2, 1)).isInstanceOf(IbreidException.class);
  }
}
