package io.ibreid.data.image;

/**
 * Separable linear resampling with a triangle filter whose support widens with the reduction factor (as PIL's
 * "bilinear"): enlarging interpolates between the two nearest pixels, shrinking averages every source pixel the
 * output pixel covers, so downscaled stripes do not alias. Pixel centres are aligned ({@code (i + 0.5) * scale}).
 */
public final class Resize {
  private Resize() {}

  /** {@code src} resampled to {@code height × width}; returns {@code src} itself when the size already matches. */
  public static FloatImage resize(FloatImage src, int height, int width) {
    if (src.height() == height && src.width() == width) {
      return src;
    }
    Weights wx = Weights.of(src.width(), width);
    Weights wy = Weights.of(src.height(), height);
    int c = src.channels();
    int sh = src.height();
    int sw = src.width();
    float[] s = src.data();
    float[] tmp = new float[c * sh * width];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < sh; y++) {
        int rowIn = (ch * sh + y) * sw;
        int rowOut = (ch * sh + y) * width;
        for (int x = 0; x < width; x++) {
          float acc = 0;
          int first = wx.first[x];
          float[] ws = wx.weights[x];
          for (int k = 0; k < ws.length; k++) {
            acc += ws[k] * s[rowIn + first + k];
          }
          tmp[rowOut + x] = acc;
        }
      }
    }
    FloatImage out = new FloatImage(c, height, width);
    float[] o = out.data();
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < height; y++) {
        int first = wy.first[y];
        float[] ws = wy.weights[y];
        int rowOut = (ch * height + y) * width;
        for (int k = 0; k < ws.length; k++) {
          float wk = ws[k];
          int rowIn = (ch * sh + first + k) * width;
          for (int x = 0; x < width; x++) {
            o[rowOut + x] += wk * tmp[rowIn + x];
          }
        }
      }
    }
    return out;
  }

  /** Per output pixel: the first source index and the normalised filter weights from there on. */
  static final class Weights {
    final int[] first;
    final float[][] weights;

    private Weights(int[] first, float[][] weights) {
      this.first = first;
      this.weights = weights;
    }

    static Weights of(int in, int out) {
      double scale = (double) in / out;
      double support = Math.max(scale, 1.0);
      int[] first = new int[out];
      float[][] weights = new float[out][];
      for (int i = 0; i < out; i++) {
        double centre = (i + 0.5) * scale;
        int lo = Math.max(0, (int) Math.floor(centre - support));
        int hi = Math.min(in - 1, (int) Math.ceil(centre + support));
        double[] w = new double[hi - lo + 1];
        double sum = 0;
        for (int j = lo; j <= hi; j++) {
          double t = Math.abs((j + 0.5 - centre) / support);
          double v = t < 1 ? 1 - t : 0;
          w[j - lo] = v;
          sum += v;
        }
        if (sum == 0) {
          int nearest = Math.min(in - 1, Math.max(0, (int) Math.floor(centre)));
          lo = nearest;
          w = new double[] {1};
          sum = 1;
        }
        // drop zero weights at the ends so the inner loops stay short
        int a = 0;
        int b = w.length - 1;
        while (a < b && w[a] == 0) {
          a++;
        }
        while (b > a && w[b] == 0) {
          b--;
        }
        float[] f = new float[b - a + 1];
        for (int k = a; k <= b; k++) {
          f[k - a] = (float) (w[k] / sum);
        }
        first[i] = lo + a;
        weights[i] = f;
      }
      return new Weights(first, weights);
    }
  }
}
