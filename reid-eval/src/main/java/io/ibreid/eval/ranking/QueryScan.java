package io.ibreid.eval.ranking;

import java.util.Arrays;

/**
 * Scores one query's ranked list without sorting the gallery. The list orders the gallery images that the camera
 * rule keeps by increasing distance, ties broken by gallery index (a stable sort, as MATLAB's {@code sort} in the
 * SYSU-MM01 evaluation code). Only the true matches are sorted; every other image is placed relative to them through
 * a table of equal-width distance buckets between the closest and the farthest true match: one multiplication, one
 * lookup, and a key comparison only with the true matches that share its bucket (rare: there are 16 to 32 buckets per
 * true match). A query costs O(n + m log m) for n gallery images and m true matches, without branches that depend on
 * the distances in the common case.
 *
 * <p>Definitions (1-based ranks r_1 < ... < r_m of the m true matches in the list):
 * AP = (1/m) sum_t t / r_t; INP = m / r_m; the CMC position over distinct identities is 1 + the number of distinct
 * other identities that appear before the first true match (each gallery identity counted once, in rank order,
 * {@link CmcConvention#IDENTITY}); the image-wise CMC position is r_1, i.e. 1 + the number of gallery images before
 * the first true match ({@link CmcConvention#IMAGE}). Both come out of the same pass: the images before the first
 * true match are counted anyway.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class QueryScan {
  private long[] matchKeys = new long[64];
  private int[] before = new int[65];
  /** Per distance slot ({@link #slot}): the true matches in earlier slots (all closer than the slot's images). */
  private int[] slotCloser = new int[66];
  /** Per distance slot: the true matches in it (their keys decide the place of the slot's images). */
  private int[] slotMatches = new int[66];
  /** Buckets per unit of distance for the current query (0 with a single bucket). */
  private float bucketScale;
  private final int[] stamp;
  private int generation;
  /** Gallery images of dense identity p: {@code groupMembers[groupStart[p] .. groupStart[p + 1])}, increasing. */
  private final int[] groupStart;
  private final int[] groupMembers;

  /** Results of the last successful {@link #scan}. */
  private int distinctRank;
  private int imageRank;
  private double ap;
  private double inp;
  private int matches;

  /**
   * @param grouping   the gallery's images grouped by dense identity ({@link #group}; one grouping can serve the
   *                   scans of several threads), so that a query's true matches are found without a pass over the
   *                   whole gallery
   * @param identities number of dense identity indices
   */
  public QueryScan(int[][] grouping, int identities) {
    stamp = new int[Math.max(1, identities)];
    groupStart = grouping[0];
    groupMembers = grouping[1];
    if (groupStart.length != identities + 1) {
      throw new IllegalArgumentException("grouping is for " + (groupStart.length - 1) + " identities, not "
          + identities);
    }
  }

  /** Gallery indices grouped by dense identity (counting sort): {start[identities + 1], members[n]}. */
  public static int[][] group(int[] galleryPid, int identities) {
    int[] start = new int[identities + 1];
    for (int pid : galleryPid) {
      if (pid < 0 || pid >= identities) {
        throw new IllegalArgumentException("gallery identity " + pid + " outside [0, " + identities + ")");
      }
      start[pid + 1]++;
    }
    for (int p = 0; p < identities; p++) {
      start[p + 1] += start[p];
    }
    int[] fill = Arrays.copyOf(start, identities);
    int[] members = new int[galleryPid.length];
    for (int j = 0; j < galleryPid.length; j++) {
      members[fill[galleryPid[j]]++] = j;
    }
    return new int[][] {start, members};
  }

  /**
   * Scans the distances {@code dist[off .. off+n)} of one query.
   *
   * @param galleryPid the constructor's identities, with a negative value for images the camera rule (or a trial's
   *                   gallery choice) removes from this query's list
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
    for (int u = groupStart[queryPid], end = groupStart[queryPid + 1]; u < end; u++) {
      int j = groupMembers[u];
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
    if (before.length < m + 1) {
      before = new int[2 * m + 1];
    }
    Arrays.fill(before, 0, m + 1, 0);
    if (++generation == Integer.MAX_VALUE) {
      Arrays.fill(stamp, 0);
      generation = 1;
    }
    long[] keys = matchKeys;
    int buckets = buckets(m, lowest, highest);
    float scale = bucketScale;
    int[] closer = slotCloser;
    int[] inSlot = slotMatches;
    int ahead = 0;
    int distinct = 0;
    for (int j = 0; j < n; j++) {
      int pid = galleryPid[j];
      if (pid == queryPid || pid < 0) {
        continue;
      }
      float x = dist[off + j] + 0.0f;
      int s = slot(x, lowest, scale, buckets);
      int pos = closer[s];
      int c = inSlot[s];
      if (c != 0) {
        long k = key(x, j);
        for (int u = pos, end = pos + c; u < end; u++) {
          pos += keys[u] < k ? 1 : 0;
        }
      }
      if (pos > 0) {
        before[pos]++; // pos == m: after every true match, changes no metric
        continue;
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
    this.imageRank = ahead + 1;
    return true;
  }

  /**
   * Fills the slot tables for the sorted true-match keys and returns the number of buckets B (16 to 32 per true match,
   * at least 64, at most 4096; 1 when all true matches have the same distance). B equal-width buckets cover
   * [lowest, highest]; {@link #slot} maps any distance to 0 (below), 1..B or B+1 (above), a non-decreasing function
   * of the distance. A true match in an earlier slot is therefore strictly closer than x, one in a later slot strictly
   * farther: an image is preceded by the true matches of earlier slots plus those of its own slot with a smaller key
   * (usually none or one to compare). Slots after the last true match give m, a sink that changes no metric.
   */
  private int buckets(int m, float lowest, float highest) {
    float span = highest - lowest;
    int buckets = Math.min(4096, Math.max(64, 32 * Integer.highestOneBit(m)));
    // B - 1/2 rather than B: the farthest true match must land in bucket B - 1 (slot B), not in the slot above it,
    // which all farther images share (correct either way, but then every one of them would compare keys)
    float scale = (buckets - 0.5f) / span;
    if (!(span > 0f) || !Float.isFinite(scale)) {
      buckets = 1;
      scale = 0f;
    }
    if (slotCloser.length < buckets + 2) {
      slotCloser = new int[buckets + 2];
      slotMatches = new int[buckets + 2];
    }
    int[] closer = slotCloser;
    int[] inSlot = slotMatches;
    int t = 0;
    for (int b = 0; b < buckets + 2; b++) {
      closer[b] = t;
      while (t < m && slot(keyDistance(matchKeys[t]), lowest, scale, buckets) == b) {
        t++;
      }
      inSlot[b] = t - closer[b];
    }
    bucketScale = scale;
    return buckets;
  }

  /**
   * {@code clamp((int) ((x - lowest) * scale), -1, buckets) + 1}, without branches (a distance lands above or below
   * the true matches unpredictably, and a mispredicted branch costs more than this arithmetic).
   */
  private static int slot(float x, float lowest, float scale, int buckets) {
    int b = (int) ((x - lowest) * scale);
    b |= b >> 31; // max(b, -1), no overflow
    int over = b - buckets; // b >= -1: no overflow
    return buckets + 1 + (over & (over >> 31)); // min(b, buckets) + 1
  }

  /** The distance a {@link #key} was made from (negative zero comes back as zero). */
  static float keyDistance(long key) {
    int ordered = (int) (key >>> 32);
    return Float.intBitsToFloat(ordered ^ ((ordered >> 31) & 0x7fffffff));
  }

  /** 1-based position of the query's identity among the distinct identities of the ranked list. */
  public int distinctRank() {
    return distinctRank;
  }

  /** 1-based position of the first true match in the ranked list of gallery images (r_1). */
  public int imageRank() {
    return imageRank;
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
