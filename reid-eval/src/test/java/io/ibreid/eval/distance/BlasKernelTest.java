package io.ibreid.eval.distance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.protocol.SysuCameraRule;
import io.ibreid.eval.ranking.Evaluation;
import io.ibreid.eval.ranking.RankingEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link BlasKernel} against the definitions computed in double precision, and its two-step form (product, then rows
 * finished in any order, as the ranking threads do) against the one-step form.
 */
class BlasKernelTest {
  private static final int NQ = 37;
  private static final int NG = 23;
  private static final int DIM = 11;

  private static float[][] random(Random rnd, int rows) {
    float[][] m = new float[rows][DIM];
    for (float[] row : m) {
      for (int c = 0; c < DIM; c++) {
        row[c] = (float) rnd.nextGaussian();
      }
    }
    return m;
  }

  private static double definition(float[] q, float[] g, Distance distance) {
    double dot = 0;
    double qq = 0;
    double gg = 0;
    double diff = 0;
    for (int c = 0; c < DIM; c++) {
      dot += (double) q[c] * g[c];
      qq += (double) q[c] * q[c];
      gg += (double) g[c] * g[c];
      diff += ((double) q[c] - g[c]) * ((double) q[c] - g[c]);
    }
    return distance == Distance.COSINE ? 1 - dot / Math.sqrt(qq * gg) : Math.sqrt(diff);
  }

  @Test
  void distancesFollowTheDefinitionsAndBothStepsAgreeInAnyRowOrder() {
    Random rnd = new Random(5);
    float[][] q = random(rnd, NQ);
    float[][] g = random(rnd, NG);
    for (Distance distance : Distance.values()) {
      try (BlasKernel k = new BlasKernel(FeatureMatrix.of(q), FeatureMatrix.of(g), distance)) {
        float[] all = new float[NQ * NG];
        k.distances(0, NQ, all);
        for (int i = 0; i < NQ; i++) {
          for (int j = 0; j < NG; j++) {
            assertThat((double) all[i * NG + j]).as("%s q%d g%d", distance, i, j)
                .isCloseTo(definition(q[i], g[j], distance), within(2e-5));
          }
        }
        // BLAS may round the last bit differently for another block height, so compare equal blocks
        int block = 8;
        float[] oneStep = new float[block * NG];
        float[] twoSteps = new float[block * NG];
        for (int from = 0; from < NQ; from += block) {
          int count = Math.min(block, NQ - from);
          k.distances(from, count, oneStep);
          k.prepareDistances(from, count, twoSteps);
          for (int r = count - 1; r >= 0; r--) {
            k.finishRows(from, twoSteps, r, r + 1);
          }
          assertThat(twoSteps).containsExactly(oneStep);
          for (int i = 0; i < count * NG; i++) {
            assertThat(twoSteps[i]).isCloseTo(all[from * NG + i], within(1e-6f));
          }
        }
      }
    }
  }

  @Test
  void smallBlocksOnTwoThreadsScoreLikeOneBlockOnOneThread() {
    Random rnd = new Random(9);
    float[][] q = random(rnd, NQ);
    float[][] g = random(rnd, NG);
    List<ImageMeta> qm = new ArrayList<>();
    List<ImageMeta> gm = new ArrayList<>();
    for (int i = 0; i < NQ; i++) {
      qm.add(new ImageMeta("q" + i, rnd.nextInt(5), rnd.nextBoolean() ? 3 : 6));
    }
    for (int j = 0; j < NG; j++) {
      gm.add(new ImageMeta("g" + j, j % 5, 1 + j % 2));
    }
    for (Distance distance : Distance.values()) {
      try (BlasKernel a = new BlasKernel(FeatureMatrix.of(q), FeatureMatrix.of(g), distance);
          BlasKernel b = new BlasKernel(FeatureMatrix.of(q), FeatureMatrix.of(g), distance)) {
        Evaluation one = new RankingEvaluator(NQ * NG, 1).evaluate(a, qm, gm, new SysuCameraRule());
        Evaluation blocks = new RankingEvaluator(5 * NG, 2).evaluate(b, qm, gm, new SysuCameraRule());
        assertThat(blocks.metrics()).isEqualTo(one.metrics());
        assertThat(one.metrics().validQueries()).isGreaterThan(NQ / 2);
      }
    }
  }
}
