package io.ibreid.core.data;

import io.ibreid.core.observation.ImageShape;
import java.util.Iterator;

/**
 * The training split of a data set, already sampled into paired cross-modal batches.
 *
 * <p>The batch sequence must be a pure function of (seed, epoch, batch index): {@link #epoch(int, int)} started at
 * batch b yields exactly the batches an iteration from batch 0 would have yielded from b on, augmentation included.
 * That is what makes a resumed run identical to an uninterrupted one. Implementations may decode and augment on
 * background threads; {@link #close()} stops them.
 */
public interface TrainingSet extends AutoCloseable {
  /** Number of training identities C; labels are 0..C-1. */
  int numClasses();

  /** Shape of each image in a batch. */
  ImageShape imageShape();

  /** Batches in one epoch. */
  int batchesPerEpoch();

  /** The batches of {@code epoch} (0-based) from {@code fromBatch} on. */
  Iterator<CrossModalBatch> epoch(int epoch, int fromBatch);

  /** One line for logs: name, counts. */
  String describe();

  @Override
  default void close() {}
}
