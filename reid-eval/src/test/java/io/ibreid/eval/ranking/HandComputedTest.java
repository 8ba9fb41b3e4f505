package io.ibreid.eval.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.eval.distance.BlasKernel;
import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.DistanceKernel;
import io.ibreid.eval.distance.Nd4jKernel;
import io.ibreid.eval.distance.PrecomputedKernel;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.protocol.SysuCameraRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three queries and six gallery images, scored by hand.
 *
 * <pre>
 * gallery  g0 pid1 cam1 | g1 pid4 cam2 | g2 pid1 cam2 | g3 pid3 cam4 | g4 pid1 cam5 | g5 pid2 cam1
 *
 * q0 pid1 cam3, distances g0..g5 = .2 .1 .3 .4 .6 .5
 *    sorted: g1(removed: cam3 query, cam2 image) g0* g2(removed) g3 g5 g4*
 *    kept list: g0* g3 g5 g4*  -> true matches at ranks 1 and 4
 *    AP = (1/1 + 2/4)/2 = 0.75, INP = 2/4 = 0.5, CMC position 1
 *    (without the camera rule the list would be g1 g0* g2* g3 g5 g4*: AP = (1/2+2/3+3/6)/3)
 * q1 pid2 cam6, distances .1 .3 .2 .5 .6 .4
 *    sorted (nothing removed): g0(1) g2(1) g1(4) g5* g3 g4 -> one true match at rank 4
 *    AP = 1/4, INP = 1/4; distinct identities before it: {1, 4} -> CMC position 3 (not 4: identity 1 counts once)
 *    image-wise CMC position 4 (three gallery images before the true match)
 * q2 pid4 cam3: its only gallery image g1 is removed -> no valid match, skipped.
 *
 * valid 2, skipped 1; CMC over identities = [1/2, 1/2, 1, 1, ...]; image-wise CMC = [1/2, 1/2, 1/2, 1, 1, ...];
 * mAP = (0.75 + 0.25)/2 = 0.5; mINP = (0.5 + 0.25)/2 = 0.375 (the same under both CMC conventions)
 * </pre>
 */
class HandComputedTest {
  static final List<ImageMeta> GALLERY = List.of(
      new ImageMeta("g0", 1, 1), new ImageMeta("g1", 4, 2), new ImageMeta("g2", 1, 2),
      new ImageMeta("g3", 3, 4), new ImageMeta("g4", 1, 5), new ImageMeta("g5", 2, 1));
  static final List<ImageMeta> QUERY = List.of(
      new ImageMeta("q0", 1, 3), new ImageMeta("q1", 2, 6), new ImageMeta("q2", 4, 3));
  static final float[][] DIST = {
      {.2f, .1f, .3f, .4f, .6f, .5f},
      {.1f, .3f, .2f, .5f, .6f, .4f},
      {.3f, .2f, .1f, .4f, .5f, .6f}};

  static void assertHandResult(Evaluation e) {
    RankingMetrics m = e.metrics();
    assertThat(m.validQueries()).isEqualTo(2);
    assertThat(m.skippedQueries()).isEqualTo(1);
    double[] cmc = m.cmc();
    assertThat(cmc).hasSize(20);
    assertThat(cmc[0]).isEqualTo(0.5);
    assertThat(cmc[1]).isEqualTo(0.5);
    for (int k = 2; k < 20; k++) {
      assertThat(cmc[k]).isEqualTo(1.0);
    }
    assertThat(m.mAP()).isCloseTo(0.5, within(1e-12));
    assertThat(m.mINP()).isCloseTo(0.375, within(1e-12));
    assertThat(m.cmcConvention()).isEqualTo(CmcConvention.IDENTITY);
    assertThat(m.galleryImages()).isEqualTo(6);
    assertThat(e.distinctRank()).containsExactly(1, 3, 0);
    assertThat(e.imageRank()).containsExactly(1, 4, 0);
    assertThat(e.ap()[0]).isCloseTo(0.75, within(1e-12));
    assertThat(e.ap()[1]).isCloseTo(0.25, within(1e-12));
    assertThat(e.inp()[0]).isCloseTo(0.5, within(1e-12));
    assertThat(e.inp()[1]).isCloseTo(0.25, within(1e-12));
    assertThat(e.skipped(2)).isTrue();
  }

  @Test
  void precomputedDistances() {
    Evaluation e = new RankingEvaluator().evaluate(new PrecomputedKernel(DIST), QUERY, GALLERY, new SysuCameraRule());
    assertHandResult(e);
  }

  /** The two CMC conventions part at rank 3: q1 has two images of identity 1 before its true match. */
  @Test
  void imageWiseCmcCountsEveryGalleryImage() {
    Evaluation e = new RankingEvaluator().evaluate(new PrecomputedKernel(DIST), QUERY, GALLERY, new SysuCameraRule(),
        CmcConvention.IMAGE);
    RankingMetrics m = e.metrics();
    assertThat(m.cmcConvention()).isEqualTo(CmcConvention.IMAGE);
    double[] cmc = m.cmc();
    assertThat(cmc[0]).isEqualTo(0.5);
    assertThat(cmc[1]).isEqualTo(0.5);
    assertThat(cmc[2]).isEqualTo(0.5);
    for (int k = 3; k < 20; k++) {
      assertThat(cmc[k]).isEqualTo(1.0);
    }
    assertThat(m.mAP()).isCloseTo(0.5, within(1e-12));
    assertThat(m.mINP()).isCloseTo(0.375, within(1e-12));
    assertThat(m.validQueries()).isEqualTo(2);
    assertThat(m.skippedQueries()).isEqualTo(1);
    assertThat(e.rank(1)).isEqualTo(4);
    // the other convention from the same per-query results
    RankingMetrics identity = e.metrics(CmcConvention.IDENTITY);
    assertThat(identity.rank(3)).isEqualTo(1.0);
    assertThat(identity.cmcConvention()).isEqualTo(CmcConvention.IDENTITY);
    assertHandResult(new Evaluation(identity, e.distinctRank(), e.imageRank(), e.ap(), e.inp()));
  }

  @Test
  void withoutTheCameraRuleTheRemovedImagesCount() {
    Evaluation e = new RankingEvaluator().evaluate(new PrecomputedKernel(DIST), QUERY, GALLERY, CameraRule.NONE);
    assertThat(e.ap()[0]).isCloseTo((1 / 2.0 + 2 / 3.0 + 3 / 6.0) / 3, within(1e-12));
    assertThat(e.inp()[0]).isCloseTo(3 / 6.0, within(1e-12));
    assertThat(e.distinctRank()[0]).isEqualTo(2);
    assertThat(e.imageRank()[0]).isEqualTo(2);
    // q2 now finds g1 at rank 2 (after g2 of identity 1)
    assertThat(e.distinctRank()[2]).isEqualTo(2);
    assertThat(e.imageRank()[2]).isEqualTo(2);
    assertThat(e.metrics().validQueries()).isEqualTo(3);
  }

  /**
   * The same distances from real features: gallery image j is the unit vector e_j, query i has components
   * {@code 1 - DIST[i][j]}; cosine and Euclidean distances then order the gallery exactly as DIST does.
   */
  static float[][] queryFeatures() {
    float[][] q = new float[3][6];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 6; j++) {
        q[i][j] = 1f - DIST[i][j];
      }
    }
    return q;
  }

  static float[][] galleryFeatures() {
    float[][] g = new float[6][6];
    for (int j = 0; j < 6; j++) {
      g[j][j] = 1f;
    }
    return g;
  }

  @Test
  void blasKernelCosineAndEuclidean() {
    for (Distance d : Distance.values()) {
      try (DistanceKernel k = new BlasKernel(FeatureMatrix.of(queryFeatures()), FeatureMatrix.of(galleryFeatures()), d)) {
        assertHandResult(new RankingEvaluator().evaluate(k, QUERY, GALLERY, new SysuCameraRule()));
      }
    }
  }

  @Test
  void nd4jKernelCosineAndEuclidean() {
    for (Distance d : Distance.values()) {
      try (DistanceKernel k = Nd4jKernel.of(FeatureMatrix.of(queryFeatures()), FeatureMatrix.of(galleryFeatures()), d)) {
        assertHandResult(new RankingEvaluator().evaluate(k, QUERY, GALLERY, new SysuCameraRule()));
      }
    }
  }

  @Test
  void oneQueryPerBlockAndOneThreadGiveTheSameResult() {
    Evaluation e = new RankingEvaluator(6, 1).evaluate(new PrecomputedKernel(DIST), QUERY, GALLERY,
        new SysuCameraRule());
    assertHandResult(e);
  }

  @Test
  void tiesAreBrokenByGalleryIndex() {
    // all distances equal: the list is g0..g5 in index order
    float[][] flat = {{.5f, .5f, .5f, .5f, .5f, .5f}};
    Evaluation e = new RankingEvaluator().evaluate(new PrecomputedKernel(flat), List.of(new ImageMeta("q", 2, 6)),
        GALLERY, CameraRule.NONE);
    // g5 (pid 2) is last: rank 6; identities before it: 1, 4, 3 -> CMC position 4
    assertThat(e.ap()[0]).isCloseTo(1 / 6.0, within(1e-12));
    assertThat(e.distinctRank()[0]).isEqualTo(4);
    assertThat(e.imageRank()[0]).isEqualTo(6);
  }
}
