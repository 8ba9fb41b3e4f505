package io.ibreid.eval.protocol;

import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.DistanceKernel;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.distance.PrecomputedKernel;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.ranking.CameraRule;
import io.ibreid.eval.ranking.CmcConvention;
import io.ibreid.eval.ranking.RankingEvaluator;
import io.ibreid.eval.ranking.RankingMetrics;
import io.ibreid.eval.rerank.KReciprocalReranking;
import java.util.ArrayList;
import java.util.List;

/**
 * The RegDB protocol (Nguyen et al. 2017, as evaluated by Ye et al.): trial t (1..10) tests the model trained on
 * split t on that split's test images, in both directions: visible queries against the thermal gallery and thermal
 * queries against the visible gallery. Nothing is removed from the ranked lists. CMC is counted image by image
 * ({@link CmcConvention#IMAGE}), as the AGW baseline's {@code eval_regdb} that RegDB results are reported with,
 * unless another convention is asked for. Results are reported per trial and direction, and as mean (and standard
 * deviation) over the trials.
 */
public final class RegdbProtocol {
  /** Number of published splits. */
  public static final int TRIALS = 10;

  /** Both directions of one trial. */
  public record TrialResult(RankingMetrics visibleToThermal, RankingMetrics thermalToVisible) {}

  /** Mean and spread over trials, per direction. */
  public record Summary(ProtocolSummary visibleToThermal, ProtocolSummary thermalToVisible) {}

  private RegdbProtocol() {}

  /** Evaluates one trial with the protocol's image-wise CMC; {@code rerank} may be null. */
  public static TrialResult evaluateTrial(FeatureMatrix visible, List<ImageMeta> visibleMeta, FeatureMatrix thermal,
      List<ImageMeta> thermalMeta, Distance distance, KernelFactory kernels, KReciprocalReranking rerank,
      RankingEvaluator evaluator) {
    return evaluateTrial(visible, visibleMeta, thermal, thermalMeta, distance, kernels, rerank, evaluator,
        CmcConvention.IMAGE);
  }

  /** Evaluates one trial, CMC counted by {@code cmc}; {@code rerank} may be null. */
  public static TrialResult evaluateTrial(FeatureMatrix visible, List<ImageMeta> visibleMeta, FeatureMatrix thermal,
      List<ImageMeta> thermalMeta, Distance distance, KernelFactory kernels, KReciprocalReranking rerank,
      RankingEvaluator evaluator, CmcConvention cmc) {
    return new TrialResult(
        direction(visible, visibleMeta, thermal, thermalMeta, distance, kernels, rerank, evaluator, cmc),
        direction(thermal, thermalMeta, visible, visibleMeta, distance, kernels, rerank, evaluator, cmc));
  }

  /** One direction: {@code query} images searched in {@code gallery}, nothing removed, CMC counted by {@code cmc}. */
  public static RankingMetrics direction(FeatureMatrix query, List<ImageMeta> queryMeta, FeatureMatrix gallery,
      List<ImageMeta> galleryMeta, Distance distance, KernelFactory kernels, KReciprocalReranking rerank,
      RankingEvaluator evaluator, CmcConvention cmc) {
    if (rerank != null) {
      return evaluator.evaluate(new PrecomputedKernel(rerank.rerank(query, gallery, distance, kernels)), queryMeta,
          galleryMeta, CameraRule.NONE, cmc).metrics();
    }
    try (DistanceKernel k = kernels.create(query, gallery, distance)) {
      return evaluator.evaluate(k, queryMeta, galleryMeta, CameraRule.NONE, cmc).metrics();
    }
  }

  public static Summary summarise(List<TrialResult> trials) {
    List<RankingMetrics> v2t = new ArrayList<>();
    List<RankingMetrics> t2v = new ArrayList<>();
    for (TrialResult t : trials) {
      v2t.add(t.visibleToThermal());
      t2v.add(t.thermalToVisible());
    }
    return new Summary(ProtocolSummary.of(v2t), ProtocolSummary.of(t2v));
  }
}
