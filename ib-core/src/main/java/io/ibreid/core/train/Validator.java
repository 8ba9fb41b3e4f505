package io.ibreid.core.train;

import io.ibreid.core.branch.ReidModel;
import java.util.Map;

/**
 * Scores the model on a validation split (identities held out of training, never the test set) so the trainer can
 * keep the best checkpoint. Bound optionally through Guice; without one, the last checkpoint is the result.
 */
public interface Validator {
  /** Name of the metric that decides "best" (higher is better), e.g. {@code mAP}. */
  String metric();

  /** Evaluates the model in inference mode; returns every metric computed, including {@link #metric()}. */
  Map<String, Double> validate(ReidModel model);
}
