package io.ibreid.core.loss;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One weighted term of the training objective. Each step the trainer binds the term's slots to branch outputs,
 * calls {@link #compute}, scales the returned gradients by the term's configured weight and back-propagates them.
 * Gradients must be exact derivatives of the returned value; slots declared stop-gradient must get none.
 *
 * <p>A term may own trainable parameters (an MI critic): it updates them in {@link #update} after
 * {@link #compute}, and exposes all its state, optimiser moments included, through {@link #state()} so checkpoints
 * restore it exactly.
 */
public interface LossTerm {
  LossResult compute(LossInput input);

  /** Steps the term's own parameters, if any, using the gradients from the last {@link #compute}. */
  default void update(long iteration, double learningRate) {}

  /** Everything needed to resume the term; empty for a stateless term. Arrays are copied by the caller. */
  default Map<String, INDArray> state() {
    return Map.of();
  }

  /** Restores what {@link #state()} returned. */
  default void loadState(Map<String, INDArray> state) {}
}
