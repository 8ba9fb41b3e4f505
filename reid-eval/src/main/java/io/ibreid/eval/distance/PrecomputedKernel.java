package io.ibreid.eval.distance;

/** A kernel over a distance matrix already in memory (e.g. re-ranked distances), {@code d[query][gallery]}. */
public final class PrecomputedKernel implements DistanceKernel {
  private final float[][] d;
  private final int n;

  public PrecomputedKernel(float[][] distances) {
    this.d = distances;
    this.n = distances.length == 0 ? 0 : distances[0].length;
    for (float[] row : distances) {
      if (row.length != n) {
        throw new IllegalArgumentException("ragged distance matrix");
      }
    }
  }

  @Override
  public int queries() {
    return d.length;
  }

  @Override
  public int gallery() {
    return n;
  }

  @Override
  public void distances(int from, int count, float[] out) {
    for (int i = 0; i < count; i++) {
      System.arraycopy(d[from + i], 0, out, i * n, n);
    }
  }

  @Override
  public void close() {}
}
