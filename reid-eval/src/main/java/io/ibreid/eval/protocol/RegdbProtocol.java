package io.ibreid.eval.protocol;

import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.DistanceKernel;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.distance.PrecomputedKernel;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.ranking.CameraRule;
import io.ibreid.eval.ranking.RankingEvaluator;
import io.ibreid.eval.ranking.RankingMetrics;
import io.ibreid.eval.rerank.KReciprocalReranking;
import java.util.ArrayList;
import java.util.List;

/**
 * The RegDB protocol (Nguyen et al. 2017, as evaluated by Ye et al.): trial t (1..10) tests the model trained on
 * split t on that split's test images, in both directions: visible queries against the thermal gallery and thermal
 * queries against the visible gallery. Nothing is removed from the ranked lists. Results are reported per trial and
 * direction, and as mean (and standard deviation) over the trials.
 */
public final class RegdbProtocol {
  /** Number of published splits. */
  public static final int TRIALS = 10;

  /** Both directions of one trial. */
  public record TrialResult(RankingMetrics visibleToThermal, RankingMetrics thermalToVisible) {}

  /** Mean and spread over trials, per direction. */
  public record Summary(ProtocolSummary visibleToThermal, ProtocolSummary thermalToVisible) {}

  private RegdbProtocol() {}

  /** Evaluates one trial; {@code rerank} may be null. */
  public static TrialResult evaluateTrial(FeatureMatrix visible, List<ImageMeta> visibleMeta, FeatureMatrix thermal,
      List<ImageMeta> thermalMeta, Distance distance, KernelFactory kernels, KReciprocalReranking rerank,
      RankingEvaluator evaluator) {
    return new TrialResult(
        direction(visible, visibleMeta, thermal, thermalMeta, distance, kernels, rerank, evaluator),
        direction(thermal, thermalMeta, visible, visibleMeta, distance, kernels, rerank, evaluator));
  }

  /** One direction: {@code query} images searched in {@code gallery}, nothing removed. */
  public static RankingMetrics direction(FeatureMatrix query, List<ImageMeta> queryMeta, FeatureMatrix gallery,
      List<ImageMeta> galleryMeta, Distance distance, KernelFactory kernels, KReciprocalReranking rerank,
      RankingEvaluator evaluator) {
    if (rerank != null) {
      return evaluator.evaluate(new PrecomputedKernel(rerank.rerank(query, gallery, distance, kernels)), queryMeta,
          galleryMeta, CameraRule.NONE).metrics();
    }
    try (DistanceKernel k = kernels.create(query, gallery, distance)) {
      return evaluator.evaluate(k, queryMeta, galleryMeta, CameraRule.NONE).metrics();
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
