package io.ibreid;

import io.ibreid.core.train.TrainingSummary;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
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
    bestScores = Collections.unmodifiableMap(new LinkedHashMap<>(bestScores));
  }

  /**
   * One line: the run directory, the summary, the checkpoint {@link Embedder#open(Path)} uses and the holdout scores,
   * e.g. {@code TrainResult[runs/tiny: 15 iterations from 0 in 6.1 s (...); uses runs/tiny/checkpoints/best,
   * holdout mAP 41.2, rank1 50.0, mINP 30.3]}.
   */
  @Override
  public String toString() {
    StringBuilder scores = new StringBuilder();
    bestScores.forEach((k, v) -> scores.append(scores.length() == 0 ? ", holdout " : ", ").append(k).append(' ')
        .append(String.format(Locale.ROOT, "%.1f", v)));
    return "TrainResult[" + runDirectory + ": " + summary + "; uses " + checkpoint + scores + "]";
  }
}
