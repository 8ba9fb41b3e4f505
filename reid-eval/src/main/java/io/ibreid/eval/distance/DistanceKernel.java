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

  @Override
  void close();
}
