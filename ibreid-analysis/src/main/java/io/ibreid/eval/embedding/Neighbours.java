package io.ibreid.eval.embedding;

import io.ibreid.core.IbreidException;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * The {@code k} nearest other points of every point: {@code index[i * k + r]} is the r-th nearest neighbour of i
 * (nearest first; equal distances in increasing index order) and {@code distance[i * k + r]} its distance as the
 * source gave it.
 */
public record Neighbours(int n, int k, int[] index, double[] distance) {
  /** Rows of distances read per block: bounds the scratch memory to {@code BLOCK * n} doubles. */
  static final int BLOCK = 256;

  /** Exact k nearest neighbours from a distance source, scanned block by block. */
  public static Neighbours of(BlockDistances source, int k) {
    int n = source.size();
    if (k < 1 || k > n - 1) {
      throw new IbreidException("neighbour count must be in 1.." + (n - 1) + " for " + n + " points, got " + k);
    }
    int[] index = new int[n * k];
    double[] distance = new double[n * k];
    double[] block = new double[Math.min(BLOCK, n) * n];
    for (int from = 0; from < n; from += BLOCK) {
      int count = Math.min(BLOCK, n - from);
      source.rows(from, count, block);
      int start = from;
      IntStream.range(0, count).parallel().forEach(r -> {
        int filled = nearest(block, r * n, n, start + r, k, j -> true, index, distance, (start + r) * k);
        if (filled != k) {
          throw new IllegalStateException("row " + (start + r) + " has " + filled + " neighbours");
        }
      });
    }
    return new Neighbours(n, k, index, distance);
  }

  /**
   * Selects, from the distances {@code row[offset, offset + n)} of point {@code self}, the up to {@code k} nearest
   * points j != self with {@code keep(j)}, nearest first, ties to the lower index; writes them at {@code out*[at..]}
   * and returns how many were found.
   */
  static int nearest(double[] row, int offset, int n, int self, int k, IntPredicate keep, int[] outIndex,
      double[] outDistance, int at) {
    int size = 0;
    for (int j = 0; j < n; j++) {
      if (j == self || !keep.test(j)) {
        continue;
      }
      double d = row[offset + j];
      if (size == k && !(d < outDistance[at + k - 1])) {
        continue; // not strictly nearer than the current k-th: j has a higher index, so it loses a tie
      }
      int pos = size == k ? k - 1 : size++;
      while (pos > 0 && d < outDistance[at + pos - 1]) {
        outDistance[at + pos] = outDistance[at + pos - 1];
        outIndex[at + pos] = outIndex[at + pos - 1];
        pos--;
      }
      outDistance[at + pos] = d;
      outIndex[at + pos] = j;
    }
    return size;
  }
}
