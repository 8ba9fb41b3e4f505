package io.ibreid.core.data;

import io.ibreid.core.observation.ImageShape;
import java.nio.file.Path;

/**
 * Settings every data set receives from the run config: its root folder, the network's input shape, the P×K
 * sampler (P identities, K images each: K/2 visible + K/2 infrared), the run seed and the number of loader threads;
 * and where to report what it does while it opens ({@link DataLog}).
 */
public record DataContext(Path root, ImageShape imageShape, int identitiesPerBatch, int imagesPerIdentity, long seed,
    int workers, DataLog log) {
  public DataContext {
    log = log == null ? DataLog.NONE : log;
  }

  /** A context whose data set reports to SLF4J only. */
  public DataContext(Path root, ImageShape imageShape, int identitiesPerBatch, int imagesPerIdentity, long seed,
      int workers) {
    this(root, imageShape, identitiesPerBatch, imagesPerIdentity, seed, workers, DataLog.NONE);
  }
}
