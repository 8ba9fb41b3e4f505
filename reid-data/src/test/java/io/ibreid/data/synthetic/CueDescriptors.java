package io.ibreid.data.synthetic;

import io.ibreid.core.branch.View;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.image.FloatImage;
import java.util.List;

/**
 * Hand-made descriptors of the lab's cues, computed from the pixels of 64x32 images (the network's input), and a
 * 1-nearest-neighbour rank-1 over them. Each looks at the central half of the width (where the person is) below the
 * top tenth.
 */
final class CueDescriptors {
  private CueDescriptors() {}

  /** Rank-1 and the number of queries it counts. */
  record Rank1(double value, int queries) {}

  /**
   * Shared cues (shape, cut, pattern, object): where the edges are, not how strong — in each 4x4-pixel cell of the
   * central 24 columns, the orientation histogram (6 unsigned bins, soft) of the grey image's gradients, each pixel
   * counting m / (m + 0.05) for a gradient magnitude m (so an edge counts about the same whether its contrast comes
   * from colours or heat levels); unit norm. Compared with the image and its mirror image (the person may face
   * either way).
   */
  static double[] shared(FloatImage f) {
    double tau = 0.05;
    int cell = 4;
    int x0 = 4;
    int bins = 6;
    int hgt = f.height();
    int w = f.width();
    double[] g = grey(f);
    int cellsY = hgt / cell;
    int cellsX = (w - 2 * x0) / cell;
    double[] h = new double[cellsY * cellsX * bins];
    for (int y = 1; y < hgt - 1; y++) {
      for (int x = x0; x < w - x0; x++) {
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
        int cy = Math.min(cellsY - 1, y / cell);
        int cx = Math.min(cellsX - 1, (x - x0) / cell);
        double e = m / (m + tau);
        h[(cy * cellsX + cx) * bins + Math.floorMod(b0, bins)] += e * (1 - frac);
        h[(cy * cellsX + cx) * bins + Math.floorMod(b0 + 1, bins)] += e * frac;
      }
    }
    return unit(h);
  }

  /**
   * Colour: hue x saturation histogram (12 hues, soft; 3 saturations) of the central columns, upper body (rows
   * 12-45 %) and lower body (45-92 %) apart; each pixel weighted by saturation x sqrt(value), so grey and dark pixels
   * count little; unit norm.
   */
  static double[] colour(FloatImage f) {
    int hueBins = 12;
    int satBins = 3;
    double[] h = new double[2 * hueBins * satBins];
    int x0 = f.width() / 4;
    for (int y = (int) (0.12 * f.height()); y < (int) (0.92 * f.height()); y++) {
      int part = y >= 0.45 * f.height() ? 1 : 0;
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
   * Heat levels: histogram (12 soft bins over [-2.5, 2.5]) of the grey levels of the central columns, standardised
   * by their own mean and standard deviation (which removes a thermal gain and offset), upper and lower body
   * apart; unit norm.
   */
  static double[] heat(FloatImage f) {
    int bins = 12;
    int x0 = f.width() / 4;
    int yA = (int) (0.12 * f.height());
    int yB = (int) (0.92 * f.height());
    double sum = 0;
    double sq = 0;
    int count = 0;
    for (int y = yA; y < yB; y++) {
      for (int x = x0; x < f.width() - x0; x++) {
        double v = lum(f, y, x);
        sum += v;
        sq += v * v;
        count++;
      }
    }
    double mean = sum / count;
    double sd = Math.sqrt(Math.max(1e-8, sq / count - mean * mean));
    double[] h = new double[2 * bins];
    for (int y = yA; y < yB; y++) {
      int part = y >= 0.45 * f.height() ? 1 : 0;
      for (int x = x0; x < f.width() - x0; x++) {
        double z = (lum(f, y, x) - mean) / sd;
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

  private static double lum(FloatImage f, int y, int x) {
    return (f.get(0, y, x) + f.get(1, y, x) + f.get(2, y, x)) / 3;
  }

  static double[] grey(FloatImage f) {
    int hgt = f.height();
    int w = f.width();
    double[] g = new double[hgt * w];
    for (int y = 0; y < hgt; y++) {
      for (int x = 0; x < w; x++) {
        g[y * w + x] = lum(f, y, x);
      }
    }
    return g;
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
   * another camera; a query whose identity has no such image is not counted. With {@code mirrored} (each image's
   * descriptor of its mirror image), the query's distance to a gallery image is the smaller of the plain and the
   * mirrored query's.
   */
  static Rank1 rank1(List<ImageRecord> recs, List<double[]> f, List<double[]> mirrored, View query, View gallery) {
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
        if (mirrored != null) {
          d = Math.min(d, distance(mirrored.get(i), f.get(j)));
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
}
