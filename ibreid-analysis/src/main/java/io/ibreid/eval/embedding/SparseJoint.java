package io.ibreid.eval.embedding;

import java.util.Arrays;

/**
 * A sparse symmetric joint distribution {@code p_ij} in compressed-row form: the entries of row i are
 * {@code column[rowStart[i] .. rowStart[i + 1])} (increasing) with values {@code value[...]}.
 */
public record SparseJoint(int n, int[] rowStart, int[] column, double[] value) {
  /**
   * {@code p_ij = (p(j|i) + p(i|j)) / 2n} from conditional probabilities over neighbour lists
   * ({@code conditional[i * k + r]} is {@code p(index[i * k + r] | i)}).
   */
  static SparseJoint symmetrise(Neighbours nb, double[] conditional) {
    int n = nb.n();
    int k = nb.k();
    int[] degree = new int[n];
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < k; r++) {
        degree[i]++;
        degree[nb.index()[i * k + r]]++;
      }
    }
    int[] start = new int[n + 1];
    for (int i = 0; i < n; i++) {
      start[i + 1] = start[i] + degree[i];
    }
    int[] col = new int[start[n]];
    double[] val = new double[start[n]];
    int[] fill = Arrays.copyOf(start, n);
    double scale = 1.0 / (2.0 * n);
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < k; r++) {
        int j = nb.index()[i * k + r];
        double v = conditional[i * k + r] * scale;
        col[fill[i]] = j;
        val[fill[i]++] = v;
        col[fill[j]] = i;
        val[fill[j]++] = v;
      }
    }
    // sort each row by column and merge the duplicates (j in i's list and i in j's list)
    int[] outStart = new int[n + 1];
    int[] outCol = new int[start[n]];
    double[] outVal = new double[start[n]];
    int w = 0;
    Integer[] order = new Integer[0];
    for (int i = 0; i < n; i++) {
      int len = start[i + 1] - start[i];
      if (order.length < len) {
        order = new Integer[len];
      }
      for (int t = 0; t < len; t++) {
        order[t] = start[i] + t;
      }
      Arrays.sort(order, 0, len, (a, b) -> a.equals(b) ? 0 : col[a] != col[b] ? Integer.compare(col[a], col[b])
          : Integer.compare(a, b));
      outStart[i] = w;
      for (int t = 0; t < len; t++) {
        int e = order[t];
        if (w > outStart[i] && outCol[w - 1] == col[e]) {
          outVal[w - 1] += val[e];
        } else {
          outCol[w] = col[e];
          outVal[w++] = val[e];
        }
      }
    }
    outStart[n] = w;
    return new SparseJoint(n, outStart, Arrays.copyOf(outCol, w), Arrays.copyOf(outVal, w));
  }

  /** The same distribution as a dense row-major {@code n x n} matrix (for tests and small n). */
  public double[] toDense() {
    double[] out = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
        out[i * n + column[e]] = value[e];
      }
    }
    return out;
  }
}
