package io.ibreid.core.loss;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What a loss term sees in one step: the arrays bound to its slots, their rows' identity labels, and randomness. */
public interface LossInput {
  /** The array bound to {@code slot}, rows × columns; detached, not to be modified. */
  INDArray get(String slot);

  /** Identity label (0..C-1) of each row of {@code slot}. Rows of paired views share labels row by row. */
  int[] labels(String slot);

  /** Training iteration (0-based) of this step. */
  long iteration();

  /** A random stream seeded from the run seed, the iteration and the term's label: repeatable across resumes. */
  Random random();
}
