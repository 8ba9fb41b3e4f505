package io.ibreid.eval.ranking;

import java.util.Arrays;

/**
 * Scores one query's ranked list without sorting the gallery. The list orders the gallery images that the camera
 * rule keeps by increasing distance, ties broken by gallery index (a stable sort, as MATLAB's {@code sort} in the
 * SYSU-MM01 evaluation code). Only the true matches are sorted; every other image is placed relative to them with a
 * comparison (usually one), so a query costs O(n + m log m) for n gallery images and m true matches.
 *
 * <p>Definitions (1-based ranks r_1 < ... < r_m of the m true matches in the list):
 * AP = (1/m) sum_t t / r_t; INP = m / r_m; the CMC position is 1 + the number of distinct other identities that
 * appear before the first true match (each gallery identity counted once, in rank order).
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class QueryScan {
  private long[] matchKeys = new long[64];
  private int[] before = new int[65];
  private final int[] stamp;
  private int generation;

  /** Results of the last successful {@link #scan}. */
  private int distinctRank;
  private double ap;
  private double inp;
  private int matches;

  /** @param identities number of dense identity indices used in {@code galleryPid} */
  public QueryScan(int identities) {
    stamp = new int[Math.max(1, identities)];
  }

  /**
   * Scans the distances {@code dist[off .. off+n)} of one query.
   *
   * @param galleryPid dense identity index of every gallery image, or a negative value for images the camera rule
   *                   removes from this query's list
   * @param queryPid   dense identity index of the query, or -1 when no gallery image has it
   * @return false when the query has no valid true match (then it is skipped)
   */
  public boolean scan(float[] dist, int off, int n, int[] galleryPid, int queryPid) {
    if (queryPid < 0) {
      return false;
    }
    int m = 0;
    float lowest = Float.POSITIVE_INFINITY;
    float highest = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      if (galleryPid[j] == queryPid) {
        if (m == matchKeys.length) {
          matchKeys = Arrays.copyOf(matchKeys, 2 * m);
        }
        float x = dist[off + j] + 0.0f;
        lowest = Math.min(lowest, x);
        highest = Math.max(highest, x);
        matchKeys[m++] = key(x, j);
      }
    }
    if (m == 0) {
      return false;
    }
    if (m > 1) {
      Arrays.sort(matchKeys, 0, m);
    }
    // pad to a power of two with +infinity keys for the branch-free search
    int p2 = Integer.highestOneBit(Math.max(1, m - 1)) << 1;
    if (matchKeys.length < p2) {
      matchKeys = Arrays.copyOf(matchKeys, p2);
    }
    Arrays.fill(matchKeys, m, p2, Long.MAX_VALUE);
    if (before.length < m + 1) {
      before = new int[2 * m + 1];
    }
    Arrays.fill(before, 0, m + 1, 0);
    if (++generation == Integer.MAX_VALUE) {
      Arrays.fill(stamp, 0);
      generation = 1;
    }
    long[] keys = matchKeys;
    long first = keys[0];
    long last = keys[m - 1];
    int ahead = 0;
    int distinct = 0;
    for (int j = 0; j < n; j++) {
      int pid = galleryPid[j];
      if (pid == queryPid || pid < 0) {
        continue;
      }
      float x = dist[off + j] + 0.0f;
      if (x > highest) {
        continue; // after every true match: changes no metric
      }
      if (x >= lowest) {
        long k = key(x, j);
        if (k > last) {
          continue;
        }
        if (k > first) {
          int pos = 0;
          for (int step = p2 >> 1; step > 0; step >>= 1) {
            pos = keys[pos + step - 1] < k ? pos + step : pos;
          }
          before[pos]++;
          continue;
        }
      }
      ahead++;
      if (stamp[pid] != generation) {
        stamp[pid] = generation;
        distinct++;
      }
    }
    before[0] = ahead;
    double sum = 0;
    int pushed = 0;
    int rank = 0;
    for (int t = 1; t <= m; t++) {
      pushed += before[t - 1];
      rank = t + pushed;
      sum += (double) t / rank;
    }
    this.matches = m;
    this.ap = sum / m;
    this.inp = (double) m / rank;
    this.distinctRank = distinct + 1;
    return true;
  }

  /** 1-based position of the query's identity among the distinct identities of the ranked list. */
  public int distinctRank() {
    return distinctRank;
  }

  public double averagePrecision() {
    return ap;
  }

  public double inversePenalty() {
    return inp;
  }

  public int matches() {
    return matches;
  }

  /**
   * A long whose natural order is (distance, index): the float's bits mapped to an order-preserving int (negative
   * zero folded into zero) in the high half, the gallery index in the low half.
   */
  static long key(float distance, int index) {
    int bits = Float.floatToRawIntBits(distance + 0.0f);
    int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
    return ((long) ordered << 32) | index;
  }
}
