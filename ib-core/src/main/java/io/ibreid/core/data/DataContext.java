package io.ibreid.core.data;

import io.ibreid.core.observation.ImageShape;
import java.nio.file.Path;

/**
 * Settings every data set receives from the run config: its root folder, the network's input shape, the P×K
 * sampler (P identities, K images each: K/2 visible + K/2 infrared), the run seed and the number of loader threads.
 */
public record DataContext(Path root, ImageShape imageShape, int identitiesPerBatch, int imagesPerIdentity, long seed,
    int workers) {}
