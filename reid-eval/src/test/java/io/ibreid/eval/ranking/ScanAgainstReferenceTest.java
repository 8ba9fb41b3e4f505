package io.ibreid.eval.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.eval.distance.PrecomputedKernel;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.protocol.SysuCameraRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The sort-free scan against a literal implementation of the definitions (stable sort of the whole gallery, removal,
 * then CMC over distinct identities and image by image, AP and INP over the full list), on random cases with many
 * tied distances.
 */
class ScanAgainstReferenceTest {
  record Ref(int distinctRank, int imageRank, double ap, double inp) {}

  static Ref reference(float[] d, List<ImageMeta> gallery, ImageMeta q, CameraRule rule) {
    Integer[] order = IntStream.range(0, d.length).boxed().toArray(Integer[]::new);
    // stable sort with IEEE comparison (-0.0 == 0.0, as in MATLAB and numpy): ties keep index order
    Arrays.sort(order, (a, b) -> d[a] < d[b] ? -1 : d[a] > d[b] ? 1 : 0);
    List<Integer> kept = new ArrayList<>();
    for (int j : order) {
      if (!rule.removes(q.camid(), gallery.get(j).camid())) {
        kept.add(j);
      }
    }
    List<Integer> matchRanks = new ArrayList<>();
    for (int r = 0; r < kept.size(); r++) {
      if (gallery.get(kept.get(r)).pid() == q.pid()) {
        matchRanks.add(r + 1);
      }
    }
    if (matchRanks.isEmpty()) {
      return null;
    }
    Set<Integer> ids = new LinkedHashSet<>();
    for (int j : kept) {
      ids.add(gallery.get(j).pid());
    }
    int distinct = new ArrayList<>(ids).indexOf(q.pid()) + 1;
    double ap = 0;
    for (int t = 0; t < matchRanks.size(); t++) {
      ap += (t + 1.0) / matchRanks.get(t);
    }
    ap /= matchRanks.size();
    double inp = (double) matchRanks.size() / matchRanks.get(matchRanks.size() - 1);
    return new Ref(distinct, matchRanks.get(0), ap, inp);
  }

  /** Every query's CMC position, AP and INP, the skipped queries and the mAP against {@link #reference}. */
  static void assertAgreesWithReference(Evaluation e, float[][] d, List<ImageMeta> query, List<ImageMeta> gallery,
      CameraRule rule, int trial) {
    int valid = 0;
    double apSum = 0;
    for (int i = 0; i < query.size(); i++) {
      Ref ref = reference(d[i], gallery, query.get(i), rule);
      if (ref == null) {
        assertThat(e.skipped(i)).as("case %d query %d", trial, i).isTrue();
        continue;
      }
      valid++;
      apSum += ref.ap();
      assertThat(e.distinctRank()[i]).as("case %d query %d", trial, i).isEqualTo(ref.distinctRank());
      assertThat(e.imageRank()[i]).as("case %d query %d", trial, i).isEqualTo(ref.imageRank());
      assertThat(e.ap()[i]).as("case %d query %d", trial, i).isCloseTo(ref.ap(), within(1e-12));
      assertThat(e.inp()[i]).as("case %d query %d", trial, i).isCloseTo(ref.inp(), within(1e-12));
    }
    assertThat(e.metrics().validQueries()).isEqualTo(valid);
    assertThat(e.metrics().skippedQueries()).isEqualTo(query.size() - valid);
    if (valid > 0) {
      assertThat(e.metrics().mAP()).isCloseTo(apSum / valid, within(1e-12));
    }
  }

  @Test
  void randomCasesWithTiesAgreeWithTheDefinitions() {
    Random rnd = new Random(42);
    for (int trial = 0; trial < 60; trial++) {
      int n = 1 + rnd.nextInt(80);
      int nq = 1 + rnd.nextInt(12);
      int ids = 1 + rnd.nextInt(8);
      int levels = 1 + rnd.nextInt(6); // few distinct distances -> many ties
      List<ImageMeta> gallery = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        gallery.add(new ImageMeta("g" + j, 100 + rnd.nextInt(ids), 1 + rnd.nextInt(6)));
      }
      List<ImageMeta> query = new ArrayList<>();
      float[][] d = new float[nq][n];
      for (int i = 0; i < nq; i++) {
        query.add(new ImageMeta("q" + i, 100 + rnd.nextInt(ids + 1), 1 + rnd.nextInt(6)));
        for (int j = 0; j < n; j++) {
          d[i][j] = rnd.nextInt(levels) * 0.25f - (rnd.nextBoolean() ? 0f : 0.5f);
        }
        if (rnd.nextInt(5) == 0) {
          d[i][rnd.nextInt(n)] = -0.0f; // negative zero ties with zero
        }
      }
      for (CameraRule rule : List.of(CameraRule.NONE, new SysuCameraRule())) {
        for (int threads : new int[] {1, 2}) {
          Evaluation e = new RankingEvaluator(1 + rnd.nextInt(3 * n), threads)
              .evaluate(new PrecomputedKernel(d), query, gallery, rule);
          assertAgreesWithReference(e, d, query, gallery, rule, trial);
        }
      }
    }
  }

  /**
   * Mostly distinct distances over wide and narrow ranges (the bucket table decides most images), with a few exact
   * copies of true-match distances (ties broken by index), larger galleries and identities with many images.
   */
  @Test
  void continuousDistancesAgreeWithTheDefinitions() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 40; trial++) {
      int n = 50 + rnd.nextInt(700);
      int ids = 2 + rnd.nextInt(20);
      float spread = trial % 4 == 0 ? 1e-6f : 2f;
      List<ImageMeta> gallery = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        gallery.add(new ImageMeta("g" + j, rnd.nextInt(ids), 1 + rnd.nextInt(6)));
      }
      List<ImageMeta> query = new ArrayList<>();
      float[][] d = new float[8][n];
      for (int i = 0; i < 8; i++) {
        query.add(new ImageMeta("q" + i, rnd.nextInt(ids), 1 + rnd.nextInt(6)));
        for (int j = 0; j < n; j++) {
          d[i][j] = 0.5f + spread * (float) rnd.nextGaussian();
        }
        for (int c = 0; c < 5; c++) {
          d[i][rnd.nextInt(n)] = d[i][rnd.nextInt(n)];
        }
      }
      for (CameraRule rule : List.of(CameraRule.NONE, new SysuCameraRule())) {
        Evaluation e = new RankingEvaluator(1 + rnd.nextInt(3 * n), 1 + rnd.nextInt(2))
            .evaluate(new PrecomputedKernel(d), query, gallery, rule);
        assertAgreesWithReference(e, d, query, gallery, rule, trial);
      }
    }
  }

  @Test
  void keyDistanceInvertsKey() {
    for (float x : new float[] {0f, -0f, 1e-30f, -1e-30f, 0.5f, -2.5f, Float.MAX_VALUE, -Float.MAX_VALUE}) {
      assertThat(QueryScan.keyDistance(QueryScan.key(x, 17))).isEqualTo(x + 0.0f);
    }
  }

  @Test
  void subsetsScoreLikeSeparateGalleries() {
    Random rnd = new Random(7);
    int n = 60;
    List<ImageMeta> gallery = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      gallery.add(new ImageMeta("g" + j, rnd.nextInt(5), 1 + rnd.nextInt(6)));
    }
    List<ImageMeta> query = new ArrayList<>();
    float[][] d = new float[15][n];
    for (int i = 0; i < 15; i++) {
      query.add(new ImageMeta("q" + i, rnd.nextInt(5), rnd.nextBoolean() ? 3 : 6));
      for (int j = 0; j < n; j++) {
        d[i][j] = rnd.nextInt(4);
      }
    }
    List<int[]> subsets = List.of(IntStream.range(0, n).filter(j -> j % 3 != 0).toArray(),
        IntStream.range(0, n).filter(j -> j < 20 || j > 45).toArray());
    List<Evaluation> together = new RankingEvaluator(100, 2).evaluate(new PrecomputedKernel(d), query, gallery,
        new SysuCameraRule(), subsets);
    for (int s = 0; s < subsets.size(); s++) {
      int[] idx = subsets.get(s);
      float[][] sub = new float[15][idx.length];
      List<ImageMeta> subGallery = new ArrayList<>();
      for (int k = 0; k < idx.length; k++) {
        subGallery.add(gallery.get(idx[k]));
        for (int i = 0; i < 15; i++) {
          sub[i][k] = d[i][idx[k]];
        }
      }
      Evaluation alone = new RankingEvaluator().evaluate(new PrecomputedKernel(sub), query, subGallery,
          new SysuCameraRule());
      assertThat(together.get(s).metrics()).isEqualTo(alone.metrics());
      assertThat(together.get(s).distinctRank()).containsExactly(alone.distinctRank());
      assertThat(together.get(s).imageRank()).containsExactly(alone.imageRank());
      assertThat(together.get(s).metrics().galleryImages()).isEqualTo(idx.length);
    }
  }
}
