package io.ibreid.eval.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.features.LabelledFeatures;
import io.ibreid.eval.ranking.CmcConvention;
import io.ibreid.eval.ranking.RankingEvaluator;
import io.ibreid.eval.ranking.RankingMetrics;
import io.ibreid.eval.rerank.KReciprocalReranking;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SysuProtocolTest {
  /** Features: identity centre plus noise, so that the metrics are neither 0 nor 100 %. */
  static FeatureMatrix features(List<ImageMeta> images, long seed, int dim) {
    Random rnd = new Random(seed);
    float[][] centres = new float[100][dim];
    for (float[] c : centres) {
      for (int k = 0; k < dim; k++) {
        c[k] = (float) rnd.nextGaussian();
      }
    }
    float[][] f = new float[images.size()][dim];
    for (int i = 0; i < f.length; i++) {
      for (int k = 0; k < dim; k++) {
        f[i][k] = 0.6f * centres[images.get(i).pid()][k] + (float) rnd.nextGaussian();
      }
    }
    return FeatureMatrix.of(f);
  }

  @Test
  void everyTrialEqualsAnEvaluationOfItsOwnGallery() {
    List<ImageMeta> images = TrialSamplerTest.dataset();
    FeatureMatrix f = features(images, 1, 16);
    for (SysuProtocol.Mode mode : SysuProtocol.Mode.values()) {
      for (int shots : new int[] {1, 10}) {
        SysuProtocol p = new SysuProtocol(mode, shots, 10);
        assertThat(p.cmcConvention()).isEqualTo(CmcConvention.IDENTITY);
        ProtocolSummary s = p.evaluate(f, images, Distance.COSINE, KernelFactory.BLAS, null, new RankingEvaluator());
        ProtocolSummary byImage = new SysuProtocol(mode, shots, 10, CmcConvention.IMAGE).evaluate(f, images,
            Distance.COSINE, KernelFactory.BLAS, null, new RankingEvaluator());
        assertThat(s.trials()).hasSize(10);
        assertThat(s.cmcConvention()).isEqualTo(CmcConvention.IDENTITY);
        assertThat(byImage.cmcConvention()).isEqualTo(CmcConvention.IMAGE);
        int[] q = SysuProtocol.queries(images);
        assertThat(Arrays.stream(q).map(i -> images.get(i).camid()).distinct().sorted().toArray())
            .containsExactly(3, 6);
        int[] c = p.candidates(images);
        List<ImageMeta> cMeta = SysuProtocol.pick(images, c);
        for (int t = 0; t < 10; t++) {
          int[] g = p.gallery(cMeta, t);
          int[] rows = Arrays.stream(g).map(k -> c[k]).toArray();
          LabelledFeatures lq = LabelledFeatures.of(f.select(q), SysuProtocol.pick(images, q), "q");
          LabelledFeatures lg = LabelledFeatures.of(f.select(rows), SysuProtocol.pick(images, rows), "g");
          try (FeatureEvaluation fe = new FeatureEvaluation(lq, "q", lg, "g", EvalProtocol.SYSU, Distance.COSINE,
              KernelFactory.BLAS, null)) {
            assertThat(s.trials().get(t)).isEqualTo(fe.run(new RankingEvaluator()).metrics());
            assertThat(byImage.trials().get(t)).isEqualTo(fe.run(new RankingEvaluator(), CmcConvention.IMAGE)
                .metrics());
            assertThat(s.trials().get(t).galleryImages()).isEqualTo(g.length);
            assertThat(s.trials().get(t).queries()).isEqualTo(q.length);
          }
          // an image-wise position is never smaller than the identity-wise one; R1, mAP and mINP agree
          for (int k = 1; k <= 20; k++) {
            assertThat(byImage.trials().get(t).rank(k)).isLessThanOrEqualTo(s.trials().get(t).rank(k));
          }
          assertThat(byImage.trials().get(t).rank(1)).isEqualTo(s.trials().get(t).rank(1));
          assertThat(byImage.trials().get(t).mAP()).isEqualTo(s.trials().get(t).mAP());
        }
        if (shots == 10) { // several images per identity: the conventions part somewhere below rank 20
          assertThat(byImage.meanCmc()[4]).isLessThan(s.meanCmc()[4]);
        }
        double mean = s.trials().stream().mapToDouble(m -> m.rank(1)).average().orElseThrow();
        assertThat(s.meanCmc()[0]).isCloseTo(mean, within(1e-12));
        assertThat(s.meanCmc()[0]).isBetween(0.05, 0.999);
      }
    }
  }

  @Test
  void repeatedRunsGiveIdenticalResults() {
    List<ImageMeta> images = TrialSamplerTest.dataset();
    FeatureMatrix f = features(images, 2, 8);
    SysuProtocol p = new SysuProtocol(SysuProtocol.Mode.ALL, 1, 10);
    ProtocolSummary a = p.evaluate(f, images, Distance.EUCLIDEAN, KernelFactory.BLAS, null, new RankingEvaluator());
    ProtocolSummary b = p.evaluate(f, images, Distance.EUCLIDEAN, KernelFactory.BLAS, null,
        new RankingEvaluator(37, 1));
    assertThat(a.trials()).isEqualTo(b.trials());
    // single-shot trials really differ from one another
    assertThat(a.trials().stream().distinct().count()).isGreaterThan(1);
  }

  @Test
  void rerankedTrialsRun() {
    List<ImageMeta> images = TrialSamplerTest.dataset();
    FeatureMatrix f = features(images, 3, 8);
    ProtocolSummary s = new SysuProtocol(SysuProtocol.Mode.INDOOR, 10, 2).evaluate(f, images, Distance.COSINE,
        KernelFactory.BLAS, new KReciprocalReranking(5, 2, 0.3), new RankingEvaluator());
    assertThat(s.trials()).hasSize(2);
    assertThat(s.meanMAP()).isBetween(0.0, 1.0);
  }

  @Test
  void meanAndPopulationStandardDeviation() {
    double[] cmcA = new double[20];
    double[] cmcB = new double[20];
    Arrays.fill(cmcA, 0.5);
    Arrays.fill(cmcB, 0.7);
    ProtocolSummary s = ProtocolSummary.of(List.of(new RankingMetrics(cmcA, 0.2, 0.1, 5, 0, 20,
        CmcConvention.IDENTITY), new RankingMetrics(cmcB, 0.4, 0.3, 3, 2, 21, CmcConvention.IDENTITY)));
    assertThat(s.meanCmc()[0]).isCloseTo(0.6, within(1e-12));
    assertThat(s.stdCmc()[0]).isCloseTo(0.1, within(1e-12));
    assertThat(s.meanMAP()).isCloseTo(0.3, within(1e-12));
    assertThat(s.stdMAP()).isCloseTo(0.1, within(1e-12));
    assertThat(s.meanMINP()).isCloseTo(0.2, within(1e-12));
    com.fasterxml.jackson.databind.JsonNode j;
    try {
      j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(s.toJson());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThat(j.get("rank1").asDouble()).isEqualTo(60.0);
    assertThat(j.get("rank1Std").asDouble()).isEqualTo(10.0);
    assertThat(j.get("mAP").asDouble()).isEqualTo(30.0);
    assertThat(j.get("cmc")).hasSize(20);
    assertThat(j.get("trials").asInt()).isEqualTo(2);
    assertThat(j.get("perTrial").get(1).get("mINP").asDouble()).isEqualTo(30.0);
    assertThat(j.get("cmcConvention").asText()).isEqualTo("identity");
    assertThat(j.get("queries").asInt()).isEqualTo(5);
    assertThat(j.get("galleryImages").asDouble()).isEqualTo(20.5);
    assertThat(j.get("validQueries").asInt()).isEqualTo(4);
    assertThat(j.get("skippedQueries").asInt()).isEqualTo(1);
    assertThat(j.get("perTrial").get(1).get("galleryImages").asInt()).isEqualTo(21);
    assertThat(j.get("perTrial").get(1).get("skippedQueries").asInt()).isEqualTo(2);
    String table = s.table("SYSU");
    assertThat(table.lines()).hasSize(1 + 1 + 2 + 2);
    assertThat(table.lines().skip(1).findFirst().orElseThrow()).contains("queries", "gallery", "valid", "skipped",
        "(CMC identity-wise)");
    assertThat(table).contains("1        50.00   50.00   50.00   50.00   20.00   10.00        5       20        5"
        + "        0\n");
    assertThat(table).contains("mean     60.00   60.00   60.00   60.00   30.00   20.00        5     20.5        4"
        + "        1\n");
    // one of five queries skipped on average: a fifth, more than a tenth
    assertThat(s.skipWarning("SYSU")).contains("SYSU: 1 of 5 queries (20.0 %) have no valid true match in the "
        + "gallery (mean over trials) and were skipped; the metrics are over the other 4");
  }

  @Test
  void noWarningUpToATenthSkippedAndNoMixedConventions() {
    double[] cmc = new double[20];
    RankingMetrics tenth = new RankingMetrics(cmc, 0, 0, 9, 1, 4, CmcConvention.IMAGE);
    assertThat(ProtocolSummary.of(List.of(tenth)).skipWarning("x")).isEmpty();
    RankingMetrics more = new RankingMetrics(cmc, 0, 0, 8, 1, 4, CmcConvention.IMAGE);
    assertThat(ProtocolSummary.of(List.of(more)).skipWarning("x")).contains("x: 1 of 9 queries (11.1 %) have no "
        + "valid true match in the gallery and were skipped; the metrics are over the other 8");
    RankingMetrics identity = new RankingMetrics(cmc, 0, 0, 8, 1, 4, CmcConvention.IDENTITY);
    assertThatThrownBy(() -> ProtocolSummary.of(List.of(more, identity)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different conventions");
  }
}
