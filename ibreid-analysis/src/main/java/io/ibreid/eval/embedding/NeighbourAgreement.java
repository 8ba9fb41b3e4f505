package io.ibreid.eval.embedding;

import io.ibreid.core.IbreidException;
import java.util.stream.IntStream;

/**
 * How much the neighbourhoods of a set of points agree with their labels: for every point, among its {@code k}
 * nearest other points, the fraction with the same identity and the fraction with the same modality; and among its
 * {@code k} nearest points of the <em>other</em> modality, the fraction with the same identity (cross-modal
 * retrieval in miniature). Each is averaged over the points. Ties in distance are broken by the lower index. Computed
 * on the 2-D embedding and on the original features, these say in numbers what a t-SNE picture shows: a
 * modality-specific branch separates modalities (same-modality fraction near 1), a good shared representation mixes
 * them (near the chance level) while keeping identities together.
 */
public final class NeighbourAgreement {
  /** Mean fractions in [0, 1]. */
  public record Scores(double sameIdentity, double sameModality, double crossModalIdentity) {}

  private NeighbourAgreement() {}

  /**
   * Scores from a row-major {@code n x n} distance matrix (any monotone function of the distance, e.g. squared).
   *
   * @param modality one label per point, e.g. 0 visible, 1 infrared
   */
  public static Scores of(double[] distances, int n, int[] identity, int[] modality, int k) {
    return of(BlockDistances.dense(distances, n), identity, modality, k);
  }

  /** Scores from a distance source read block by block (no {@code n x n} matrix is held). */
  public static Scores of(BlockDistances distances, int[] identity, int[] modality, int k) {
    int n = distances.size();
    if (identity.length != n || modality.length != n) {
      throw new IllegalArgumentException(n + " points but " + identity.length + " identities and "
          + modality.length + " modalities");
    }
    if (k < 1 || k > n - 1) {
      throw new IbreidException("neighbour count k must be in 1.." + (n - 1) + " for " + n + " points, got " + k);
    }
    double[] sameId = new double[n];
    double[] sameMod = new double[n];
    double[] crossId = new double[n];
    boolean[] hasCross = new boolean[n];
    double[] block = new double[Math.min(Neighbours.BLOCK, n) * n];
    for (int from = 0; from < n; from += Neighbours.BLOCK) {
      int count = Math.min(Neighbours.BLOCK, n - from);
      distances.rows(from, count, block);
      int start = from;
      IntStream.range(0, count).parallel().forEach(r -> {
        int i = start + r;
        int[] idx = new int[k];
        double[] dist = new double[k];
        int found = Neighbours.nearest(block, r * n, n, i, k, j -> true, idx, dist, 0);
        int ids = 0;
        int mods = 0;
        for (int t = 0; t < found; t++) {
          ids += identity[idx[t]] == identity[i] ? 1 : 0;
          mods += modality[idx[t]] == modality[i] ? 1 : 0;
        }
        sameId[i] = (double) ids / found;
        sameMod[i] = (double) mods / found;
        int other = Neighbours.nearest(block, r * n, n, i, k, j -> modality[j] != modality[i], idx, dist, 0);
        if (other > 0) {
          int cross = 0;
          for (int t = 0; t < other; t++) {
            cross += identity[idx[t]] == identity[i] ? 1 : 0;
          }
          crossId[i] = (double) cross / other;
          hasCross[i] = true;
        }
      });
    }
    return new Scores(mean(sameId, null), mean(sameMod, null), mean(crossId, hasCross));
  }

  /** Scores of points given as row-major coordinates ({@code n x dims}), by Euclidean distance. */
  public static Scores ofPoints(double[] y, int n, int dims, int[] identity, int[] modality, int k) {
    return of(BlockDistances.points(y, n, dims), identity, modality, k);
  }

  /**
   * The expected scores when neighbours are drawn at random: a point's chance of a same-identity neighbour is
   * {@code (images of its identity - 1) / (n - 1)}, and so on, averaged over the points.
   */
  public static Scores chance(int[] identity, int[] modality) {
    int n = identity.length;
    java.util.Map<Integer, Integer> perId = new java.util.HashMap<>();
    java.util.Map<Integer, Integer> perMod = new java.util.HashMap<>();
    java.util.Map<Long, Integer> perIdMod = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      perId.merge(identity[i], 1, Integer::sum);
      perMod.merge(modality[i], 1, Integer::sum);
      perIdMod.merge(key(identity[i], modality[i]), 1, Integer::sum);
    }
    double id = 0;
    double mod = 0;
    double cross = 0;
    int crossCount = 0;
    for (int i = 0; i < n; i++) {
      id += (perId.get(identity[i]) - 1.0) / (n - 1);
      mod += (perMod.get(modality[i]) - 1.0) / (n - 1);
      int others = n - perMod.get(modality[i]);
      if (others > 0) {
        int sameIdOther = perId.get(identity[i]) - perIdMod.get(key(identity[i], modality[i]));
        cross += (double) sameIdOther / others;
        crossCount++;
      }
    }
    return new Scores(id / n, mod / n, crossCount == 0 ? Double.NaN : cross / crossCount);
  }

  private static long key(int id, int mod) {
    return ((long) id << 32) ^ (mod & 0xffffffffL);
  }

  /** Up to k nearest j != i with {@code keep(j)} in a dense matrix, nearest first (ties: lower index first). */
  static int[] nearest(double[] distances, int n, int i, int k, java.util.function.IntPredicate keep) {
    int[] idx = new int[k];
    double[] dist = new double[k];
    int found = Neighbours.nearest(distances, i * n, n, i, k, keep, idx, dist, 0);
    return java.util.Arrays.copyOf(idx, found);
  }

  private static double mean(double[] v, boolean[] use) {
    double s = 0;
    int c = 0;
    for (int i = 0; i < v.length; i++) {
      if (use == null || use[i]) {
        s += v[i];
        c++;
      }
    }
    return c == 0 ? Double.NaN : s / c;
  }
}
