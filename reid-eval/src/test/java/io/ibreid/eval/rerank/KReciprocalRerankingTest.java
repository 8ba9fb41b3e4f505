package io.ibreid.eval.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.distance.PrecomputedKernel;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.ranking.CameraRule;
import io.ibreid.eval.ranking.Evaluation;
import io.ibreid.eval.ranking.RankingEvaluator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Points on a line, Euclidean distance, k1 = 3, k2 = 1 (no query expansion), lambda = 0.3.
 *
 * <pre>
 * query q = 0 (identity A); gallery h = .55 (A), t = 1.2 (A), f = -1.0 (B), f2 = -1.3 (B), f3 = -1.5 (B)
 * original list of q: h .55, f 1.0, t 1.2, f2 1.3, f3 1.5  -> true matches at ranks 1, 3
 * N(x, 3) (x first): q {q,h,f}  h {h,q,t}  t {t,h,q}  f {f,f2,f3}  f2 {f2,f3,f}  f3 {f3,f2,f}
 * R(x, 3): q {q,h} (q is not in N(f,3))  h {h,q,t}  t {t,h} (t is not in N(q,3))  f, f2, f3: {f,f2,f3}
 * R(x, 2): q {q,h}  h {h,q}  t {t}  f {f}  f2 {f2,f3}  f3 {f2,f3}
 * expansion adds nothing to q and h; for t, R(h,2) = {h,q} shares 1 < 2/3*2 with R(t,3): R*(t) = {t,h}
 * V: q {q:1, h:a}  h {h:1, q:a, t:b}  t {t:1, h:b}  with a = e^-.55, b = e^-.65; f, f2, f3 share nothing with q
 * dJ(q,h) = 1 - 2a/(2+b); dJ(q,t) = 1 - b/(2+a); dJ(q,f) = dJ(q,f2) = dJ(q,f3) = 1
 * final: h .7 dJ + .3*.55 = .54473; t .7 dJ + .36 = .91819; f 1.0; f2 1.09; f3 1.15
 * -> t (shares the reciprocal neighbour h with q) moves ahead of f: AP goes from (1 + 2/3)/2 to 1.
 * </pre>
 */
class KReciprocalRerankingTest {
  static FeatureMatrix points(float... xs) {
    float[][] m = new float[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      m[i] = new float[] {xs[i], 0f};
    }
    return FeatureMatrix.of(m);
  }

  @Test
  void tinyLineCaseMatchesTheHandComputation() {
    FeatureMatrix q = points(0f);
    FeatureMatrix g = points(.55f, 1.2f, -1.0f, -1.3f, -1.5f);
    float[][] d = new KReciprocalReranking(3, 1, 0.3).rerank(q, g, Distance.EUCLIDEAN, KernelFactory.BLAS);
    double a = Math.exp(-.55);
    double b = Math.exp(-.65);
    assertThat((double) d[0][0]).isCloseTo(.7 * (1 - 2 * a / (2 + b)) + .3 * .55, within(1e-5));
    assertThat((double) d[0][1]).isCloseTo(.7 * (1 - b / (2 + a)) + .3 * 1.2, within(1e-5));
    assertThat((double) d[0][1]).isCloseTo(.91819, within(1e-4));
    assertThat((double) d[0][2]).isCloseTo(1.0, within(1e-5));
    assertThat((double) d[0][3]).isCloseTo(1.09, within(1e-5));
    assertThat((double) d[0][4]).isCloseTo(1.15, within(1e-5));

    List<ImageMeta> qm = List.of(new ImageMeta("q", 1, 1));
    List<ImageMeta> gm = List.of(new ImageMeta("h", 1, 2), new ImageMeta("t", 1, 2), new ImageMeta("f", 2, 2),
        new ImageMeta("f2", 2, 2), new ImageMeta("f3", 2, 2));
    Evaluation before = new RankingEvaluator().evaluate(KernelFactory.BLAS.create(q, g, Distance.EUCLIDEAN), qm, gm,
        CameraRule.NONE);
    Evaluation after = new RankingEvaluator().evaluate(new PrecomputedKernel(d), qm, gm, CameraRule.NONE);
    assertThat(before.ap()[0]).isCloseTo((1 + 2 / 3.0) / 2, within(1e-12));
    assertThat(after.ap()[0]).isEqualTo(1.0);
  }

  @Test
  void lambdaOneKeepsTheOriginalDistances() {
    FeatureMatrix q = points(0f, 2f);
    FeatureMatrix g = points(.5f, 1f, 3f);
    float[][] d = new KReciprocalReranking(2, 2, 1.0).rerank(q, g, Distance.EUCLIDEAN, KernelFactory.BLAS);
    float[][] expected = {{.5f, 1f, 3f}, {1.5f, 1f, 1f}};
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        assertThat(d[i][j]).isCloseTo(expected[i][j], within(1e-5f));
      }
    }
  }

  @Test
  void queryExpansionAveragesNeighbourEncodings() {
    // With k2 = 2 each encoding is the mean of its own and its nearest neighbour's; identical points share
    // identical expanded encodings, so their Jaccard distance to any query is equal.
    FeatureMatrix q = points(0f);
    FeatureMatrix g = points(.3f, .3f, 2f);
    float[][] d = new KReciprocalReranking(3, 2, 0.0).rerank(q, g, Distance.EUCLIDEAN, KernelFactory.BLAS);
    assertThat(d[0][0]).isCloseTo(d[0][1], within(1e-6f));
    assertThat(d[0][0]).isLessThan(d[0][2]);
    for (float x : d[0]) {
      assertThat(x).isBetween(0f, 1f);
    }
  }
}
