package io.ibreid.core.train;

import java.util.Locale;
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

  /**
   * One line: {@code iteration 19 (epoch 4) loss 5.1234 [ce_shared=4.2, vsd_shared=0.01] lr 0.002 |g| 3.1
   * 76 img/s}, and {@code skipped} for a skipped batch; the diagnostics are left out.
   */
  @Override
  public String toString() {
    StringBuilder t = new StringBuilder();
    terms.forEach((k, v) -> t.append(t.length() == 0 ? "" : ", ").append(k).append('=')
        .append(String.format(Locale.ROOT, "%.4g", v)));
    return String.format(Locale.ROOT, "iteration %d (epoch %d) loss %.4f [%s] lr %.3g |g| %.3g %.0f img/s%s",
        iteration, epoch, loss, t, lr, gradientNorm, imagesPerSecond, skipped ? " skipped" : "");
  }
}
