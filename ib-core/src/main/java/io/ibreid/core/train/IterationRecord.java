package io.ibreid.core.train;

import java.util.Map;

/**
 * What one training step did: every loss term's unweighted value, the weighted total, the learning rate, the
 * parameter-gradient norm, throughput and the share of the step spent waiting for data.
 */
public record IterationRecord(long iteration, int epoch, double lr, double loss, Map<String, Double> terms,
    Map<String, Double> diagnostics, double gradientNorm, double imagesPerSecond, double dataWaitFraction,
    boolean skipped) {
  /** This record with the step's throughput and the share of its time spent waiting for data. */
  public IterationRecord timed(double imagesPerSecond, double dataWaitFraction) {
    return new IterationRecord(iteration, epoch, lr, loss, terms, diagnostics, gradientNorm, imagesPerSecond,
        dataWaitFraction, skipped);
  }
}
