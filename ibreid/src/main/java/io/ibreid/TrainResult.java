package io.ibreid;

import io.ibreid.core.train.TrainingSummary;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link Ibreid#train} did.
 *
 * @param runDirectory the run directory (config.yaml, train.log, metrics.jsonl, checkpoints/)
 * @param summary iterations, timing and the last step's losses of this call
 * @param checkpoint the checkpoint {@link Embedder#open(Path)} uses: {@code checkpoints/best} when holdout
 *     validation chose one, otherwise the newest valid checkpoint
 * @param bestScores the holdout scores of {@code checkpoints/best} (mAP, rank1, mINP, in percent); empty when the
 *     config has no holdout split ({@code data.params.holdout})
 */
public record TrainResult(Path runDirectory, TrainingSummary summary, Path checkpoint,
    Map<String, Double> bestScores) {
  public TrainResult {
    bestScores = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(bestScores));
  }
}
