package io.ibreid.data.synthetic;

import io.ibreid.core.branch.View;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.image.FloatImage;
import java.util.List;

/** Hand-made descriptors of the lab's cues, computed from pixels of 64x32 images, and 1-NN rank-1. */
final class CueDescriptors {
  private CueDescriptors() {}

  /** Rank-1 and the number of queries it counts. */
  record Rank1(double value, int queries) {}

  /** 12 hue x 4 saturation bins over the central half of the width, below the top tenth; sums to 1. */
  static double[] colour(FloatImage f) {
    int hueBins = 12;
    int satBins = 4;
    double[] h = new double[hueBins * satBins];
    int count = 0;
    for (int y = f.height() / 10; y < f.height(); y++) {
      for (int x = f.width() / 4; x < f.width() - f.width() / 4; x++) {
        float[] hsb = java.awt.Color.RGBtoHSB(Math.round(f.get(0, y, x) * 255), Math.round(f.get(1, y, x) * 255),
            Math.round(f.get(2, y, x) * 255), null);
        int hi = Math.min(hueBins - 1, (int) (hsb[0] * hueBins));
        int si = Math.min(satBins - 1, (int) (hsb[1] * satBins));
        h[hi * satBins + si]++;
        count++;
      }
    }
    for (int i = 0; i < h.length; i++) {
      h[i] /= count;
    }
    return h;
  }

  /** 16-bin histogram of the grey level over the central half of the width, below the top tenth; sums to 1. */
  static double[] heat(FloatImage f) {
    int bins = 16;
    double[] h = new double[bins];
    int count = 0;
    for (int y = f.height() / 10; y < f.height(); y++) {
      for (int x = f.width() / 4; x < f.width() - f.width() / 4; x++) {
        double g = (f.get(0, y, x) + f.get(1, y, x) + f.get(2, y, x)) / 3;
        h[Math.min(bins - 1, (int) (g * bins))]++;
        count++;
      }
    }
    for (int i = 0; i < h.length; i++) {
      h[i] /= count;
    }
    return h;
  }

  static double[] grey(FloatImage f) {
    int hgt = f.height();
    int w = f.width();
    double[] g = new double[hgt * w];
    for (int y = 0; y < hgt; y++) {
      for (int x = 0; x < w; x++) {
        g[y * w + x] = (f.get(0, y, x) + f.get(1, y, x) + f.get(2, y, x)) / 3;
      }
    }
    return g;
  }

  /** Gradient-orientation energy (6 unsigned bins) in an 8 x 4 grid of the standardised grey image; unit norm. */
  static double[] shared(FloatImage f) {
    int hgt = f.height();
    int w = f.width();
    double[] g = grey(f);
    double mean = 0;
    for (double v : g) {
      mean += v;
    }
    mean /= g.length;
    double var = 0;
    for (double v : g) {
      var += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(var / g.length) + 1e-6;
    int cellsY = 8;
    int cellsX = 4;
    int bins = 6;
    double[] h = new double[cellsY * cellsX * bins];
    for (int y = 1; y < hgt - 1; y++) {
      for (int x = 1; x < w - 1; x++) {
        double gx = (g[y * w + x + 1] - g[y * w + x - 1]) / sd;
        double gy = (g[(y + 1) * w + x] - g[(y - 1) * w + x]) / sd;
        double angle = Math.atan2(gy, gx);
        if (angle < 0) {
          angle += Math.PI;
        }
        int b = Math.min(bins - 1, (int) (angle / Math.PI * bins));
        h[((y * cellsY / hgt) * cellsX + x * cellsX / w) * bins + b] += Math.hypot(gx, gy);
      }
    }
    return unit(h);
  }

  static double[] unit(double[] h) {
    double norm = 1e-12;
    for (double v : h) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < h.length; i++) {
      h[i] /= norm;
    }
    return h;
  }

  static FloatImage mirror(FloatImage f) {
    FloatImage out = new FloatImage(f.channels(), f.height(), f.width());
    for (int c = 0; c < f.channels(); c++) {
      for (int y = 0; y < f.height(); y++) {
        for (int x = 0; x < f.width(); x++) {
          out.set(c, y, x, f.get(c, y, f.width() - 1 - x));
        }
      }
    }
    return out;
  }

  static double distance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return s;
  }

  /**
   * 1-NN rank-1: every image of modality {@code query} against the images of modality {@code gallery} taken by
   * another camera; a query whose identity has no such image is not counted. With {@code flipped} (each image's
   * mirrored descriptor), a gallery image's distance is the smaller of the plain and the mirrored one.
   */
  static Rank1 rank1(List<ImageRecord> recs, List<double[]> f, List<double[]> flipped, View query, View gallery) {
    int correct = 0;
    int total = 0;
    for (int i = 0; i < recs.size(); i++) {
      ImageRecord q = recs.get(i);
      if (q.modality() != query) {
        continue;
      }
      int best = -1;
      double bestD = Double.POSITIVE_INFINITY;
      boolean valid = false;
      for (int j = 0; j < recs.size(); j++) {
        ImageRecord g = recs.get(j);
        if (g.modality() != gallery || g.camera() == q.camera()) {
          continue;
        }
        valid |= g.pid() == q.pid();
        double d = distance(f.get(i), f.get(j));
        if (flipped != null) {
          d = Math.min(d, distance(flipped.get(i), f.get(j)));
        }
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      }
      if (!valid) {
        continue;
      }
      total++;
      correct += recs.get(best).pid() == q.pid() ? 1 : 0;
    }
    return new Rank1((double) correct / total, total);
  }

  /** Edge-presence orientation histogram: saturating magnitude, cells of cellH x cellW px over columns [x0, w-x0). */
  static double[] edges(FloatImage f, double tau, int cellH, int cellW, int x0, int bins) {
    int hgt = f.height();
    int w = f.width();
    double[] g = grey(f);
    int cellsY = hgt / cellH;
    int cellsX = (w - 2 * x0) / cellW;
    double[] h = new double[cellsY * cellsX * bins];
    for (int y = 1; y < hgt - 1; y++) {
      for (int x = Math.max(1, x0); x < Math.min(w - 1, w - x0); x++) {
        double gx = g[y * w + x + 1] - g[y * w + x - 1];
        double gy = g[(y + 1) * w + x] - g[(y - 1) * w + x];
        double m = Math.hypot(gx, gy);
        double angle = Math.atan2(gy, gx);
        if (angle < 0) {
          angle += Math.PI;
        }
        double pos = angle / Math.PI * bins - 0.5;
        int b0 = (int) Math.floor(pos);
        double frac = pos - b0;
        int cy = Math.min(cellsY - 1, y / cellH);
        int cx = Math.min(cellsX - 1, (x - x0) / cellW);
        double e = m / (m + tau);
        h[(cy * cellsX + cx) * bins + Math.floorMod(b0, bins)] += e * (1 - frac);
        h[(cy * cellsX + cx) * bins + Math.floorMod(b0 + 1, bins)] += e * frac;
      }
    }
    return unit(h);
  }

  /**
   * Colour: hue x saturation histogram (soft in hue, 12 x 3 bins) of the central columns, separately for the upper
   * (rows 15-45 %) and lower (45-90 %) body; pixels weighted by saturation x value, so grey and dark pixels count
   * little; each part unit norm.
   */
  static double[] colour2(FloatImage f, int hueBins, int satBins, boolean parts) {
    int n = parts ? 2 : 1;
    double[] h = new double[n * hueBins * satBins];
    int x0 = f.width() / 4;
    for (int y = (int) (0.12 * f.height()); y < (int) (0.92 * f.height()); y++) {
      int part = parts && y >= 0.45 * f.height() ? 1 : 0;
      for (int x = x0; x < f.width() - x0; x++) {
        float[] hsb = java.awt.Color.RGBtoHSB(Math.round(f.get(0, y, x) * 255), Math.round(f.get(1, y, x) * 255),
            Math.round(f.get(2, y, x) * 255), null);
        double pos = hsb[0] * hueBins - 0.5;
        int b0 = (int) Math.floor(pos);
        double frac = pos - b0;
        int si = Math.min(satBins - 1, (int) (hsb[1] * satBins));
        double wgt = hsb[1] * Math.sqrt(hsb[2]);
        h[(part * hueBins + Math.floorMod(b0, hueBins)) * satBins + si] += wgt * (1 - frac);
        h[(part * hueBins + Math.floorMod(b0 + 1, hueBins)) * satBins + si] += wgt * frac;
      }
    }
    return unit(h);
  }

  /**
   * Heat: histogram (soft, 12 bins over [-2.5, 2.5]) of the grey levels of the central columns standardised by their
   * own mean and standard deviation (which removes a gain and an offset), upper and lower body separately.
   */
  static double[] heat2(FloatImage f, int bins, boolean parts) {
    int x0 = f.width() / 4;
    int yA = (int) (0.12 * f.height());
    int yB = (int) (0.92 * f.height());
    double sum = 0;
    double sq = 0;
    int count = 0;
    for (int y = yA; y < yB; y++) {
      for (int x = x0; x < f.width() - x0; x++) {
        double g = f.get(0, y, x);
        sum += g;
        sq += g * g;
        count++;
      }
    }
    double mean = sum / count;
    double sd = Math.sqrt(Math.max(1e-8, sq / count - mean * mean));
    int n = parts ? 2 : 1;
    double[] h = new double[n * bins];
    for (int y = yA; y < yB; y++) {
      int part = parts && y >= 0.45 * f.height() ? 1 : 0;
      for (int x = x0; x < f.width() - x0; x++) {
        double z = (f.get(0, y, x) - mean) / sd;
        double pos = (z + 2.5) / 5 * bins - 0.5;
        int b0 = (int) Math.floor(pos);
        double frac = pos - b0;
        if (b0 >= 0 && b0 < bins) {
          h[part * bins + b0] += 1 - frac;
        }
        if (b0 + 1 >= 0 && b0 + 1 < bins) {
          h[part * bins + b0 + 1] += frac;
        }
      }
    }
    return unit(h);
  }
}
