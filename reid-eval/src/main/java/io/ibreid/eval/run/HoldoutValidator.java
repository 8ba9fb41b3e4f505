package io.ibreid.eval.run;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.View;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.train.Validator;
import io.ibreid.data.ImageRecord;
import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.DistanceKernel;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.ranking.CameraRule;
import io.ibreid.eval.ranking.RankingEvaluator;
import io.ibreid.eval.ranking.RankingMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a model on the held-out training identities (never test identities): every infrared holdout image is a
 * query against every visible holdout image, cosine distance, nothing removed. The deciding metric is mAP.
 */
public final class HoldoutValidator implements Validator {
  private final List<ImageRecord> queries;
  private final List<ImageRecord> gallery;
  private final RunConfig.Evaluation keys;

  public HoldoutValidator(List<ImageRecord> holdout, RunConfig.Evaluation keys) {
    // ND4J and the OpenBLAS binding now, on the thread that builds the trainer: validation later runs while the
    // training set's reader threads load classes, and must find nothing left to load (NativeRuntime says why)
    NativeRuntime.load();
    this.queries = holdout.stream().filter(r -> r.modality() == View.INFRARED).toList();
    this.gallery = holdout.stream().filter(r -> r.modality() == View.VISIBLE).toList();
    this.keys = keys;
    if (queries.isEmpty() || gallery.isEmpty()) {
      throw new IbreidException("the holdout split has " + queries.size() + " infrared and " + gallery.size()
          + " visible images; validation needs both (raise data.params.holdout)");
    }
  }

  @Override
  public String metric() {
    return "mAP";
  }

  @Override
  public Map<String, Double> validate(ReidModel model) {
    ModelFeatures features = new ModelFeatures(model, keys, new TrainingImageLoader(), 64);
    FeatureMatrix q = features.extract(queries.stream().map(ImageRecord::path).toList(), View.INFRARED);
    FeatureMatrix g = features.extract(gallery.stream().map(ImageRecord::path).toList(), View.VISIBLE);
    RankingMetrics m;
    try (DistanceKernel k = KernelFactory.BLAS.create(q, g, Distance.COSINE)) {
      m = new RankingEvaluator().evaluate(k, RunEvaluation.meta(queries), RunEvaluation.meta(gallery),
          CameraRule.NONE).metrics();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("mAP", 100 * m.mAP());
    out.put("rank1", 100 * m.rank(1));
    out.put("mINP", 100 * m.mINP());
    return out;
  }
}
