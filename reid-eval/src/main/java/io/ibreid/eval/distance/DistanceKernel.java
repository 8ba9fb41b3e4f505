package io.ibreid.eval.distance;

/**
 * Computes query-to-gallery distances a block of queries at a time, so a large gallery never needs the whole
 * query x gallery matrix in memory. Implementations hold the gallery (and any native buffers) until closed.
 */
public interface DistanceKernel extends AutoCloseable {
  int queries();

  int gallery();

  /**
   * Writes the distances of queries {@code [from, from + count)} to every gallery row into {@code out}, row-major:
   * {@code out[i * gallery() + j]} is the distance of query {@code from + i} to gallery image {@code j}.
   */
  void distances(int from, int count, float[] out);

  /**
   * The first of two steps that together do what {@link #distances} does, for callers that finish the rows of a block
   * on several threads: fills {@code out} for queries {@code [from, from + count)} with values that
   * {@link #finishRows} turns into the distances. By default this computes the distances and the second step does
   * nothing.
   */
  default void prepareDistances(int from, int count, float[] out) {
    distances(from, count, out);
  }

  /**
   * Turns rows {@code [lo, hi)} of a block filled by {@link #prepareDistances prepareDistances(from, ...)} into
   * distances, in place. Each row must be finished exactly once; different rows may be finished by different threads.
   */
  default void finishRows(int from, float[] out, int lo, int hi) {}

  @Override
  void close();
}
