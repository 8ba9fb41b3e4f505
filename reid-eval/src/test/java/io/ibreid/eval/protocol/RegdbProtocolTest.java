package io.ibreid.eval.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.ranking.RankingEvaluator;
import io.ibreid.eval.ranking.RankingMetrics;
import java.util.List;
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
