package io.ibreid.eval.rerank;

import io.ibreid.core.IbreidException;
import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.DistanceKernel;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.features.FeatureMatrix;
import java.util.Arrays;

/**
 * k-reciprocal re-ranking (Zhong, Zheng, Cao and Li, "Re-ranking Person Re-identification with k-reciprocal Encoding",
 * CVPR 2017), written from the paper's description.
 *
 * <p>Queries and gallery are pooled into one set P; every x in P has a ranked list over P by the original distance
 * d, in which x itself comes first (other ties: by index, queries before gallery). With {@code N(x, k)} the first k
 * entries of that list:
 * <ol>
 *   <li>k-reciprocal neighbours: {@code R(x, k) = {y in N(x, k) : x in N(y, k)}};</li>
 *   <li>expansion: {@code R*(x) = R(x, k1)} united with {@code R(y, h)}, h = round(k1 / 2) (halves rounded up), for
 *       every y in {@code R(x, k1)} with {@code |R(x, k1) ∩ R(y, h)| >= 2/3 |R(y, h)|};</li>
 *   <li>encoding: {@code V[x][y] = exp(-d(x, y))} for y in {@code R*(x)}, 0 elsewhere (the paper's Gaussian kernel,
 *       unnormalised);</li>
 *   <li>local query expansion: {@code V[x]} is replaced by the mean of {@code V[y]} over y in {@code N(x, k2)}
 *       (k2 = 1 leaves V unchanged);</li>
 *   <li>Jaccard distance {@code dJ(q, g) = 1 - sum_y min(V[q][y], V[g][y]) / sum_y max(V[q][y], V[g][y])}, y over
 *       P;</li>
 *   <li>final distance {@code (1 - lambda) dJ(q, g) + lambda d(q, g)}.</li>
 * </ol>
 * The paper's parameters are k1 = 20, k2 = 6, lambda = 0.3. Memory: the result (queries x gallery floats), k1
 * neighbours per pooled image and the sparse encodings; the pooled distance matrix is computed in row blocks and
 * never held whole. The exponential weights are meant for distances of order 1 (cosine distance, or Euclidean on
 * normalised features).
 */
public final class KReciprocalReranking {
  private final int k1;
  private final int k2;
  private final double lambda;

  public KReciprocalReranking(int k1, int k2, double lambda) {
    if (k1 < 1 || k2 < 1) {
      throw new IbreidException("re-ranking needs k1 >= 1 and k2 >= 1, got k1=" + k1 + " k2=" + k2);
    }
    if (!(lambda >= 0 && lambda <= 1)) {
      throw new IbreidException("re-ranking lambda must be in [0, 1], got " + lambda);
    }
    this.k1 = k1;
    this.k2 = k2;
    this.lambda = lambda;
  }

  /** k1 = 20, k2 = 6, lambda = 0.3, as in the paper. */
  public static KReciprocalReranking paperDefaults() {
    return new KReciprocalReranking(20, 6, 0.3);
  }

  /** Re-ranked distances {@code [query][gallery]}. */
  public float[][] rerank(FeatureMatrix query, FeatureMatrix gallery, Distance distance, KernelFactory kernels) {
    int nq = query.rows();
    int ng = gallery.rows();
    int n = nq + ng;
    FeatureMatrix pool = FeatureMatrix.allocate(n, query.dim());
    pool.buffer().put(query.buffer().limit(nq * query.dim())).put(gallery.buffer().limit(ng * gallery.dim()));
    int kk = Math.min(Math.max(k1, k2), n);
    int[][] nbr = new int[n][];
    float[][] nbrDist = new float[n][];
    float[][] out = new float[nq][ng];
    try (DistanceKernel kernel = kernels.create(pool, pool, distance)) {
      int block = (int) Math.max(1, Math.min(n, (4L << 20) / n));
      float[] d = new float[block * n];
      for (int from = 0; from < n; from += block) {
        int count = Math.min(block, n - from);
        kernel.distances(from, count, d);
        for (int r = 0; r < count; r++) {
          int x = from + r;
          nearest(d, r * n, n, x, kk, nbr, nbrDist);
          if (x < nq) {
            System.arraycopy(d, r * n + nq, out[x], 0, ng);
          }
        }
      }
    }
    Pairwise pairs = new Pairwise(pool, distance);
    int half = (k1 + 1) / 2;
    Sparse[] v = new Sparse[n];
    for (int x = 0; x < n; x++) {
      int[] r = reciprocal(nbr, x, k1);
      int[] star = r;
      for (int y : r) {
        int[] ry = reciprocal(nbr, y, half);
        if (3 * intersection(r, ry) >= 2 * ry.length) {
          star = union(star, ry);
        }
      }
      double[] w = new double[star.length];
      for (int i = 0; i < star.length; i++) {
        w[i] = star[i] == x ? 1.0 : Math.exp(-distanceOf(x, star[i], nbr, nbrDist, pairs));
      }
      v[x] = new Sparse(star, w);
    }
    if (k2 > 1) {
      v = expand(v, nbr, Math.min(k2, n), n);
    }
    // Inverted index over gallery encodings: for column y, the gallery rows with V[g][y] > 0.
    int[] colCount = new int[n];
    double[] gallerySum = new double[ng];
    for (int g = 0; g < ng; g++) {
      Sparse s = v[nq + g];
      for (int i = 0; i < s.cols.length; i++) {
        colCount[s.cols[i]]++;
        gallerySum[g] += s.vals[i];
      }
    }
    int[][] invRow = new int[n][];
    double[][] invVal = new double[n][];
    for (int y = 0; y < n; y++) {
      invRow[y] = new int[colCount[y]];
      invVal[y] = new double[colCount[y]];
    }
    int[] fill = new int[n];
    for (int g = 0; g < ng; g++) {
      Sparse s = v[nq + g];
      for (int i = 0; i < s.cols.length; i++) {
        int y = s.cols[i];
        invRow[y][fill[y]] = g;
        invVal[y][fill[y]++] = s.vals[i];
      }
    }
    double[] minSum = new double[ng];
    for (int q = 0; q < nq; q++) {
      Arrays.fill(minSum, 0);
      Sparse s = v[q];
      double querySum = 0;
      for (int i = 0; i < s.cols.length; i++) {
        int y = s.cols[i];
        double vq = s.vals[i];
        querySum += vq;
        int[] rows = invRow[y];
        double[] vals = invVal[y];
        for (int t = 0; t < rows.length; t++) {
          minSum[rows[t]] += Math.min(vq, vals[t]);
        }
      }
      for (int g = 0; g < ng; g++) {
        double maxSum = querySum + gallerySum[g] - minSum[g];
        double jaccard = maxSum > 0 ? 1 - minSum[g] / maxSum : 1;
        out[q][g] = (float) ((1 - lambda) * jaccard + lambda * out[q][g]);
      }
    }
    return out;
  }

  /** The first {@code k} entries of x's ranked list (x first, then by distance and index) and their distances. */
  private static void nearest(float[] d, int off, int n, int x, int k, int[][] nbr, float[][] nbrDist) {
    int[] idx = new int[k];
    float[] dist = new float[k];
    idx[0] = x;
    dist[0] = 0f;
    int size = 1;
    for (int j = 0; j < n; j++) {
      if (j == x) {
        continue;
      }
      float dj = d[off + j];
      if (size == k && !(dj < dist[k - 1])) {
        continue; // equal distance: the earlier index stays ahead
      }
      int pos = size == k ? k - 1 : size++;
      while (pos > 1 && dist[pos - 1] > dj) {
        idx[pos] = idx[pos - 1];
        dist[pos] = dist[pos - 1];
        pos--;
      }
      idx[pos] = j;
      dist[pos] = dj;
    }
    nbr[x] = size == k ? idx : Arrays.copyOf(idx, size);
    nbrDist[x] = size == k ? dist : Arrays.copyOf(dist, size);
  }

  private static boolean within(int[][] nbr, int x, int y, int k) {
    int[] list = nbr[x];
    for (int i = 0; i < Math.min(k, list.length); i++) {
      if (list[i] == y) {
        return true;
      }
    }
    return false;
  }

  /** R(x, k), sorted ascending. */
  private static int[] reciprocal(int[][] nbr, int x, int k) {
    int[] list = nbr[x];
    int m = Math.min(k, list.length);
    int[] out = new int[m];
    int size = 0;
    for (int i = 0; i < m; i++) {
      int y = list[i];
      if (y == x || within(nbr, y, x, k)) {
        out[size++] = y;
      }
    }
    out = Arrays.copyOf(out, size);
    Arrays.sort(out);
    return out;
  }

  private static int intersection(int[] a, int[] b) {
    int i = 0;
    int j = 0;
    int c = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        c++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return c;
  }

  private static int[] union(int[] a, int[] b) {
    int[] out = new int[a.length + b.length];
    int i = 0;
    int j = 0;
    int c = 0;
    while (i < a.length || j < b.length) {
      if (j == b.length || (i < a.length && a[i] < b[j])) {
        out[c++] = a[i++];
      } else if (i == a.length || b[j] < a[i]) {
        out[c++] = b[j++];
      } else {
        out[c++] = a[i++];
        j++;
      }
    }
    return Arrays.copyOf(out, c);
  }

  private static double distanceOf(int x, int y, int[][] nbr, float[][] nbrDist, Pairwise pairs) {
    int[] list = nbr[x];
    for (int i = 0; i < list.length; i++) {
      if (list[i] == y) {
        return nbrDist[x][i];
      }
    }
    return pairs.distance(x, y);
  }

  private static Sparse[] expand(Sparse[] v, int[][] nbr, int k2, int n) {
    Sparse[] out = new Sparse[v.length];
    double[] acc = new double[n];
    boolean[] touched = new boolean[n];
    int[] cols = new int[n];
    for (int x = 0; x < v.length; x++) {
      int m = 0;
      int[] list = nbr[x];
      int count = Math.min(k2, list.length);
      for (int i = 0; i < count; i++) {
        Sparse s = v[list[i]];
        for (int t = 0; t < s.cols.length; t++) {
          int c = s.cols[t];
          if (!touched[c]) {
            touched[c] = true;
            cols[m++] = c;
          }
          acc[c] += s.vals[t];
        }
      }
      int[] cs = Arrays.copyOf(cols, m);
      Arrays.sort(cs);
      double[] vs = new double[m];
      for (int i = 0; i < m; i++) {
        vs[i] = acc[cs[i]] / count;
        acc[cs[i]] = 0;
        touched[cs[i]] = false;
      }
      out[x] = new Sparse(cs, vs);
    }
    return out;
  }

  private record Sparse(int[] cols, double[] vals) {}

  /** Distances between two pooled rows, computed directly (for expansion members outside a neighbour list). */
  private static final class Pairwise {
    private final FeatureMatrix pool;
    private final Distance distance;
    private final double[] sq;
    private final float[] a;
    private final float[] b;

    Pairwise(FeatureMatrix pool, Distance distance) {
      this.pool = pool;
      this.distance = distance;
      this.sq = pool.checkFiniteAndSquaredNorms("re-ranking features");
      this.a = new float[pool.dim()];
      this.b = new float[pool.dim()];
    }

    double distance(int x, int y) {
      pool.row(x, a);
      pool.row(y, b);
      double dot = 0;
      for (int i = 0; i < a.length; i++) {
        dot += (double) a[i] * b[i];
      }
      if (distance == Distance.COSINE) {
        double nx = Math.sqrt(sq[x]);
        double ny = Math.sqrt(sq[y]);
        return nx > 0 && ny > 0 ? 1 - dot / (nx * ny) : 1;
      }
      return Math.sqrt(Math.max(0, sq[x] + sq[y] - 2 * dot));
    }
  }
}
