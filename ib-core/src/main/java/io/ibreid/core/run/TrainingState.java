package io.ibreid.core.run;

/** Where training stands: the next batch to run is batch {@code batch} of epoch {@code epoch}; {@code iteration} steps done. */
public record TrainingState(int epoch, int batch, long iteration) {
  public static TrainingState start() {
    return new TrainingState(0, 0, 0);
  }
}
