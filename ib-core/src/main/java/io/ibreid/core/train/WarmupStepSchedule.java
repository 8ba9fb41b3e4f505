package io.ibreid.core.train;

import java.util.Arrays;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning rate by iteration: linear warm-up from {@code warmupFactor·base} to {@code base} over
 * {@code warmupIterations}, then {@code base·gamma^k} after the k-th milestone iteration. Serialised with the graph
 * configuration, so a restored model keeps its schedule.
 */
public final class WarmupStepSchedule implements ISchedule {
  @JsonProperty private final double base;
  @JsonProperty private final long warmupIterations;
  @JsonProperty private final double warmupFactor;
  @JsonProperty private final long[] milestones;
  @JsonProperty private final double gamma;

  public WarmupStepSchedule(@JsonProperty("base") double base,
      @JsonProperty("warmupIterations") long warmupIterations,
      @JsonProperty("warmupFactor") double warmupFactor,
      @JsonProperty("milestones") long[] milestones,
      @JsonProperty("gamma") double gamma) {
    this.base = base;
    this.warmupIterations = warmupIterations;
    this.warmupFactor = warmupFactor;
    this.milestones = milestones.clone();
    this.gamma = gamma;
  }

  /** Builds the schedule from epoch-based settings. */
  public static WarmupStepSchedule fromEpochs(double base, double warmupEpochs, double warmupFactor,
      java.util.List<Integer> milestoneEpochs, double gamma, int batchesPerEpoch) {
    long[] m = milestoneEpochs.stream().mapToLong(e -> (long) e * batchesPerEpoch).toArray();
    return new WarmupStepSchedule(base, Math.round(warmupEpochs * batchesPerEpoch), warmupFactor, m, gamma);
  }

  /** Learning rate at a (0-based) iteration. */
  public double at(long iteration) {
    double lr = base;
    for (long m : milestones) {
      if (iteration >= m) {
        lr *= gamma;
      }
    }
    if (iteration < warmupIterations) {
      double alpha = (double) iteration / warmupIterations;
      lr *= warmupFactor * (1 - alpha) + alpha;
    }
    return lr;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    return at(iteration);
  }

  @Override
  public ISchedule clone() {
    return new WarmupStepSchedule(base, warmupIterations, warmupFactor, milestones, gamma);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarmupStepSchedule s && s.base == base && s.warmupIterations == warmupIterations
        && s.warmupFactor == warmupFactor && Arrays.equals(s.milestones, milestones) && s.gamma == gamma;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(base) * 31 + Arrays.hashCode(milestones);
  }
}
