package io.ibreid.core.train;

import java.nio.file.Path;

/** The outcome of {@link Trainer#train}: iterations done, the last step's record, timing and the final checkpoint. */
public record TrainingSummary(long startIteration, long iterations, IterationRecord last, double seconds,
    double imagesPerSecond, double dataWaitFraction, long skippedBatches, Path checkpoint) {}
