package io.ibreid.eval.distance;

/** Turns raw dot products into distances, in place. */
final class Norms {
  private Norms() {}

  /** 1 / sqrt(s), or 0 for a zero vector (which then has cosine 0 with everything). */
  static float[] inverseNorms(double[] squaredNorms) {
    float[] inv = new float[squaredNorms.length];
    for (int i = 0; i < inv.length; i++) {
      inv[i] = squaredNorms[i] > 0 ? (float) (1.0 / Math.sqrt(squaredNorms[i])) : 0f;
    }
    return inv;
  }

  static float[] toFloat(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /** {@code out[i][j] = 1 - dot[i][j] * invQ[from + i] * invG[j]} for the block rows {@code lo <= i < hi}. */
  static void cosine(float[] out, int lo, int hi, int n, int from, float[] invQ, float[] invG) {
    for (int i = lo; i < hi; i++) {
      float iq = invQ[from + i];
      int base = i * n;
      for (int j = 0; j < n; j++) {
        out[base + j] = 1f - out[base + j] * iq * invG[j];
      }
    }
  }

  /** {@code out[i][j] = sqrt(max(0, |q|^2 + |g|^2 - 2 dot))} for the block rows {@code lo <= i < hi}. */
  static void euclidean(float[] out, int lo, int hi, int n, int from, float[] sqQ, float[] sqG) {
    for (int i = lo; i < hi; i++) {
      float q2 = sqQ[from + i];
      int base = i * n;
      for (int j = 0; j < n; j++) {
        float d2 = q2 + sqG[j] - 2f * out[base + j];
        out[base + j] = d2 > 0f ? (float) Math.sqrt(d2) : 0f;
      }
    }
  }
}
