package io.ibreid.eval.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.ranking.CmcConvention;
import io.ibreid.eval.ranking.RankingEvaluator;
import io.ibreid.eval.ranking.RankingMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Points on a line, Euclidean distance.
 *
 * <pre>
 * visible v0 = 0 (id 1), v1 = 1 (id 2); thermal t0 = .6 (id 1), t1 = .45 (id 2), t2 = 1.1 (id 2)
 * visible -> thermal:
 *   v0: t1 .45, t0* .6, t2 1.1          AP 1/2,             INP 1/2, CMC position 2
 *   v1: t2* .1, t0 .4, t1* .55          AP (1 + 2/3)/2,     INP 2/3, CMC position 1
 *   R1 50 %, R2 100 %, mAP 2/3, mINP 7/12
 * thermal -> visible:
 *   t0: v1 .4, v0* .6    AP 1/2, position 2
 *   t1: v0 .45, v1* .55  AP 1/2, position 2
 *   t2: v1* .1           AP 1,   position 1
 *   R1 1/3, R2 100 %, mAP 2/3, mINP 2/3
 * </pre>
 */
class RegdbProtocolTest {
  static FeatureMatrix line(float... xs) {
    float[][] m = new float[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      m[i] = new float[] {xs[i], 0};
    }
    return FeatureMatrix.of(m);
  }

  static final List<ImageMeta> VISIBLE = List.of(new ImageMeta("Visible/1/a.bmp", 1, 1),
      new ImageMeta("Visible/2/a.bmp", 2, 1));
  static final List<ImageMeta> THERMAL = List.of(new ImageMeta("Thermal/1/a.bmp", 1, 2),
      new ImageMeta("Thermal/2/a.bmp", 2, 2), new ImageMeta("Thermal/2/b.bmp", 2, 2));

  static RegdbProtocol.TrialResult trial() {
    return RegdbProtocol.evaluateTrial(line(0f, 1f), VISIBLE, line(.6f, .45f, 1.1f), THERMAL, Distance.EUCLIDEAN,
        KernelFactory.BLAS, null, new RankingEvaluator());
  }

  @Test
  void bothDirectionsByHand() {
    RegdbProtocol.TrialResult r = trial();
    RankingMetrics v2t = r.visibleToThermal();
    assertThat(v2t.validQueries()).isEqualTo(2);
    assertThat(v2t.rank(1)).isEqualTo(0.5);
    assertThat(v2t.rank(2)).isEqualTo(1.0);
    assertThat(v2t.mAP()).isCloseTo((0.5 + (1 + 2 / 3.0) / 2) / 2, within(1e-12));
    assertThat(v2t.mINP()).isCloseTo(7 / 12.0, within(1e-12));
    RankingMetrics t2v = r.thermalToVisible();
    assertThat(t2v.validQueries()).isEqualTo(3);
    assertThat(t2v.rank(1)).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(t2v.rank(2)).isEqualTo(1.0);
    assertThat(t2v.mAP()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(t2v.mINP()).isCloseTo(2 / 3.0, within(1e-12));
  }

  /**
   * A case where the two CMC conventions differ (points on a line, Euclidean distance).
   *
   * <pre>
   * visible v0 = 0 (id 1), v1 = 1 (id 3); thermal t0 = .1 (id 2), t1 = .2 (id 2), t2 = .3 (id 3), t3 = .4 (id 1),
   * t4 = .55 (id 3)
   * visible -> thermal:
   *   v0: t0 t1 t2 t3* t4      image-wise position 4; identities before t3: {2, 3} -> identity-wise position 3
   *                            AP 1/4, INP 1/4
   *   v1: t4* t3 t2* t1 t0     position 1 both ways; AP (1 + 2/3)/2 = 5/6, INP 2/3
   *   image-wise CMC    R1 R2 R3 = 1/2 1/2 1/2, R4.. = 1
   *   identity-wise CMC R1 R2 = 1/2 1/2, R3.. = 1
   *   mAP (1/4 + 5/6)/2 = 13/24, mINP (1/4 + 2/3)/2 = 11/24 (both ways)
   * thermal -> visible (gallery v0 id 1, v1 id 3): t0, t1 (id 2) have no match: skipped
   *   t2: v0 .3, v1* .7 -> position 2; t3: v0* .4 -> 1; t4: v1* .45 -> 1
   *   5 queries, 3 valid, 2 skipped; R1 2/3, R2 1; mAP (1/2 + 1 + 1)/3 = 5/6
   * </pre>
   */
  @Test
  void imageWiseByDefaultAndIdentityWiseOnRequest() {
    FeatureMatrix visible = line(0f, 1f);
    List<ImageMeta> vm = List.of(new ImageMeta("Visible/1/a.bmp", 1, 1), new ImageMeta("Visible/3/a.bmp", 3, 1));
    FeatureMatrix thermal = line(.1f, .2f, .3f, .4f, .55f);
    List<ImageMeta> tm = List.of(new ImageMeta("Thermal/2/a.bmp", 2, 2), new ImageMeta("Thermal/2/b.bmp", 2, 2),
        new ImageMeta("Thermal/3/a.bmp", 3, 2), new ImageMeta("Thermal/1/a.bmp", 1, 2),
        new ImageMeta("Thermal/3/b.bmp", 3, 2));
    RegdbProtocol.TrialResult byImage = RegdbProtocol.evaluateTrial(visible, vm, thermal, tm, Distance.EUCLIDEAN,
        KernelFactory.BLAS, null, new RankingEvaluator());
    RegdbProtocol.TrialResult byIdentity = RegdbProtocol.evaluateTrial(visible, vm, thermal, tm, Distance.EUCLIDEAN,
        KernelFactory.BLAS, null, new RankingEvaluator(), CmcConvention.IDENTITY);
    RankingMetrics img = byImage.visibleToThermal();
    RankingMetrics ids = byIdentity.visibleToThermal();
    assertThat(img.cmcConvention()).isEqualTo(CmcConvention.IMAGE);
    assertThat(ids.cmcConvention()).isEqualTo(CmcConvention.IDENTITY);
    assertThat(new double[] {img.rank(1), img.rank(2), img.rank(3), img.rank(4), img.rank(20)})
        .containsExactly(0.5, 0.5, 0.5, 1.0, 1.0);
    assertThat(new double[] {ids.rank(1), ids.rank(2), ids.rank(3), ids.rank(4), ids.rank(20)})
        .containsExactly(0.5, 0.5, 1.0, 1.0, 1.0);
    for (RankingMetrics m : List.of(img, ids)) {
      assertThat(m.mAP()).isCloseTo(13 / 24.0, within(1e-12));
      assertThat(m.mINP()).isCloseTo(11 / 24.0, within(1e-12));
      assertThat(m.queries()).isEqualTo(2);
      assertThat(m.galleryImages()).isEqualTo(5);
      assertThat(m.skippedQueries()).isZero();
    }
    RankingMetrics t2v = byImage.thermalToVisible();
    assertThat(t2v.queries()).isEqualTo(5);
    assertThat(t2v.validQueries()).isEqualTo(3);
    assertThat(t2v.skippedQueries()).isEqualTo(2);
    assertThat(t2v.galleryImages()).isEqualTo(2);
    assertThat(t2v.rank(1)).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(t2v.rank(2)).isEqualTo(1.0);
    assertThat(t2v.mAP()).isCloseTo(5 / 6.0, within(1e-12));
    assertThat(t2v.manySkipped()).isTrue();
    assertThat(ProtocolSummary.of(List.of(t2v)).skipWarning("RegDB thermal to visible")).contains("RegDB thermal to "
        + "visible: 2 of 5 queries (40.0 %) have no valid true match in the gallery and were skipped; the metrics "
        + "are over the other 3");
    assertThat(ProtocolSummary.of(List.of(img)).skipWarning("RegDB visible to thermal")).isEmpty();
  }

  /**
   * The AGW baseline's {@code eval_regdb} (the RegDB evaluation published results use), transcribed: argsort each
   * distance row, mark true matches, CMC = cumulative sum clipped at 1 (image by image), AP from the precision at
   * each true match, INP = matches up to the hardest one over its position; queries without a match are skipped.
   * Returns {cmc[0..19], mAP, mINP} as fractions.
   */
  static double[] agwEvalRegdb(double[][] dist, int[] queryPid, int[] galleryPid) {
    int maxRank = 20;
    double[] cmc = new double[maxRank];
    double apSum = 0;
    double inpSum = 0;
    int valid = 0;
    for (int q = 0; q < dist.length; q++) {
      double[] d = dist[q];
      Integer[] order = new Integer[d.length];
      for (int j = 0; j < d.length; j++) {
        order[j] = j;
      }
      Arrays.sort(order, (a, b) -> Double.compare(d[a], d[b]));
      int[] raw = new int[d.length];
      int relevant = 0;
      int lastMatch = -1;
      for (int r = 0; r < d.length; r++) {
        raw[r] = galleryPid[order[r]] == queryPid[q] ? 1 : 0;
        relevant += raw[r];
        if (raw[r] == 1) {
          lastMatch = r;
        }
      }
      if (relevant == 0) {
        continue;
      }
      valid++;
      int cum = 0;
      double ap = 0;
      for (int r = 0; r < d.length; r++) {
        cum += raw[r];
        if (r < maxRank) {
          cmc[r] += Math.min(cum, 1);
        }
        ap += raw[r] * (double) cum / (r + 1);
        if (r == lastMatch) {
          inpSum += (double) cum / (r + 1);
        }
      }
      for (int r = d.length; r < maxRank; r++) {
        cmc[r] += 1; // a gallery shorter than 20: every valid query has its match within it
      }
      apSum += ap / relevant;
    }
    double[] out = new double[maxRank + 2];
    for (int r = 0; r < maxRank; r++) {
      out[r] = cmc[r] / valid;
    }
    out[maxRank] = apSum / valid;
    out[maxRank + 1] = inpSum / valid;
    return out;
  }

  static double[][] cosineDistances(float[][] q, float[][] g) {
    double[][] d = new double[q.length][g.length];
    for (int i = 0; i < q.length; i++) {
      for (int j = 0; j < g.length; j++) {
        double dot = 0;
        double nq = 0;
        double ng = 0;
        for (int k = 0; k < q[i].length; k++) {
          dot += (double) q[i][k] * g[j][k];
          nq += (double) q[i][k] * q[i][k];
          ng += (double) g[j][k] * g[j][k];
        }
        d[i][j] = 1 - dot / Math.sqrt(nq * ng);
      }
    }
    return d;
  }

  /**
   * A RegDB-shaped random trial (20 identities x 10 visible and 10 thermal images, 64-d, cosine): both directions
   * agree with {@link #agwEvalRegdb} to 1e-3 percentage points at every rank 1..20, in mAP and in mINP. With 20
   * identities the identity-wise R20 is 100 % by construction; the image-wise one is not.
   */
  @Test
  void ranksAgreeWithTheAgwEvaluationOnARandomTrial() {
    Random rnd = new Random(2024);
    int ids = 20;
    int per = 10;
    int dim = 64;
    float[][] centre = new float[ids][dim];
    for (float[] c : centre) {
      for (int k = 0; k < dim; k++) {
        c[k] = (float) rnd.nextGaussian();
      }
    }
    float[][] vis = new float[ids * per][dim];
    float[][] th = new float[ids * per][dim];
    List<ImageMeta> vm = new ArrayList<>();
    List<ImageMeta> tm = new ArrayList<>();
    int[] vp = new int[ids * per];
    int[] tp = new int[ids * per];
    for (int i = 0; i < ids * per; i++) {
      int pid = i % ids; // interleaved, so that gallery order says nothing about identity
      vp[i] = pid;
      tp[i] = pid;
      vm.add(new ImageMeta("Visible/" + pid + "/" + i + ".bmp", pid, 1));
      tm.add(new ImageMeta("Thermal/" + pid + "/" + i + ".bmp", pid, 2));
      for (int k = 0; k < dim; k++) {
        vis[i][k] = 0.35f * centre[pid][k] + (float) rnd.nextGaussian();
        th[i][k] = 0.35f * centre[pid][k] + (float) rnd.nextGaussian();
      }
    }
    RegdbProtocol.TrialResult r = RegdbProtocol.evaluateTrial(FeatureMatrix.of(vis), vm, FeatureMatrix.of(th), tm,
        Distance.COSINE, KernelFactory.BLAS, null, new RankingEvaluator());
    double[] v2t = agwEvalRegdb(cosineDistances(vis, th), vp, tp);
    double[] t2v = agwEvalRegdb(cosineDistances(th, vis), tp, vp);
    assertAgrees(r.visibleToThermal(), v2t);
    assertAgrees(r.thermalToVisible(), t2v);
    // the case is one where the conventions differ: identity-wise R20 is 100 % with 20 identities
    assertThat(r.visibleToThermal().rank(20)).isLessThan(0.99);
    assertThat(r.visibleToThermal().rank(1)).isBetween(0.05, 0.95);
    RankingMetrics ids20 = RegdbProtocol.evaluateTrial(FeatureMatrix.of(vis), vm, FeatureMatrix.of(th), tm,
        Distance.COSINE, KernelFactory.BLAS, null, new RankingEvaluator(), CmcConvention.IDENTITY)
        .visibleToThermal();
    assertThat(ids20.rank(20)).isEqualTo(1.0);
    assertThat(ids20.rank(1)).isEqualTo(r.visibleToThermal().rank(1));
  }

  static void assertAgrees(RankingMetrics m, double[] reference) {
    for (int k = 1; k <= 20; k++) {
      assertThat(100 * m.rank(k)).as("R%d", k).isCloseTo(100 * reference[k - 1], within(1e-3));
    }
    assertThat(100 * m.mAP()).as("mAP").isCloseTo(100 * reference[20], within(1e-3));
    assertThat(100 * m.mINP()).as("mINP").isCloseTo(100 * reference[21], within(1e-3));
  }

  @Test
  void meanOverTrials() {
    RegdbProtocol.TrialResult a = trial();
    RegdbProtocol.TrialResult b = RegdbProtocol.evaluateTrial(line(0f, 1f), VISIBLE, line(.1f, 1.2f, 5f), THERMAL,
        Distance.EUCLIDEAN, KernelFactory.BLAS, null, new RankingEvaluator());
    assertThat(b.visibleToThermal().rank(1)).isEqualTo(1.0);
    RegdbProtocol.Summary s = RegdbProtocol.summarise(List.of(a, b));
    assertThat(s.visibleToThermal().meanCmc()[0]).isCloseTo(0.75, within(1e-12));
    assertThat(s.visibleToThermal().trials()).hasSize(2);
    assertThat(s.thermalToVisible().meanMAP())
        .isCloseTo((a.thermalToVisible().mAP() + b.thermalToVisible().mAP()) / 2, within(1e-12));
  }
}
