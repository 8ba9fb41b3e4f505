package io.ibreid.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.data.ImageRecord;
import io.ibreid.data.image.FloatImage;
import io.ibreid.data.image.ImageFiles;
import io.ibreid.data.image.Pixels;
import io.ibreid.data.image.Resize;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.synthetic.SyntheticGenerator.Spec;
import io.ibreid.data.sysu.SysuMm01;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generator's cue design, checked with simple hand-made classifiers (1-nearest-neighbour, Euclidean distance)
 * on a generated set of 30 identities seen by all six cameras. Gallery: visible cams 1, 2. Queries: visible cams 4,
 * 5 (same modality, other cameras) or infrared cams 3, 6 (cross-modal). Chance is 1/30.
 *
 * <ul>
 *   <li>A hue-saturation histogram of the central region (the clothing colours) identifies people across visible
 *       cameras, but is at chance for infrared queries: colour is a visible-only cue.
 *   <li>A gradient-orientation histogram (a shape and pattern descriptor on the standardised grey image) matches
 *       infrared queries to visible images above chance: some cues are shared by the two modalities.
 * </ul>
 */
class CueDesignTest {
  private static final Logger LOG = LoggerFactory.getLogger(CueDesignTest.class);
  private static final int IDS = 30;

  @TempDir
  static Path dir;

  private static final List<double[]> colourFeatures = new ArrayList<>();
  private static final List<double[]> shapeFeatures = new ArrayList<>();
  private static final List<ImageRecord> records = new ArrayList<>();

  @BeforeAll
  static void generate() {
    Path root = dir.resolve("cues");
    SyntheticGenerator.generate(new Spec(Layout.SYSU, IDS, 1, 64, 32, 2, 1.0, 5), root, 2);
    SysuMm01 data = SysuMm01.open(root, SysuMm01.Options.defaults());
    for (ImageRecord r : data.train().records()) {
      FloatImage f = Resize.resize(Pixels.toFloat(ImageFiles.decode(r.path())), 64, 32);
      records.add(r);
      colourFeatures.add(hueSaturationHistogram(f));
      shapeFeatures.add(orientationHistogram(f));
    }
  }

  /** 12 hue × 4 saturation bins over the central half of the width, below the top tenth; sums to 1. */
  static double[] hueSaturationHistogram(FloatImage f) {
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

  /** Gradient-orientation energy (6 bins) in an 8 × 4 grid of cells of the standardised grey image; unit norm. */
  static double[] orientationHistogram(FloatImage f) {
    int hgt = f.height();
    int w = f.width();
    double[] g = new double[hgt * w];
    double mean = 0;
    for (int y = 0; y < hgt; y++) {
      for (int x = 0; x < w; x++) {
        g[y * w + x] = (f.get(0, y, x) + f.get(1, y, x) + f.get(2, y, x)) / 3;
        mean += g[y * w + x];
      }
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
    double norm = 1e-9;
    for (double v : h) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < h.length; i++) {
      h[i] /= norm;
    }
    return h;
  }

  /** Rank-1 accuracy of 1-NN: queries from cameras {@code query}, gallery from cameras {@code gallery}. */
  private static double rank1(List<double[]> features, IntPredicate query, IntPredicate gallery) {
    int correct = 0;
    int total = 0;
    for (int i = 0; i < records.size(); i++) {
      if (!query.test(records.get(i).camera())) {
        continue;
      }
      int best = -1;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int j = 0; j < records.size(); j++) {
        if (!gallery.test(records.get(j).camera())) {
          continue;
        }
        double d = distance(features.get(i), features.get(j));
        if (d < bestDistance) {
          bestDistance = d;
          best = j;
        }
      }
      total++;
      correct += records.get(best).pid() == records.get(i).pid() ? 1 : 0;
    }
    return (double) correct / total;
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return s;
  }

  private static final IntPredicate GALLERY = c -> c == 1 || c == 2;
  private static final IntPredicate VISIBLE_QUERY = c -> c == 4 || c == 5;
  private static final IntPredicate INFRARED_QUERY = c -> c == 3 || c == 6;

  @Test
  void colourHistogramsSeparateIdentitiesOnVisibleImagesButNotAcrossModalities() {
    double chance = 1.0 / IDS;
    double visible = rank1(colourFeatures, VISIBLE_QUERY, GALLERY);
    double cross = rank1(colourFeatures, INFRARED_QUERY, GALLERY);
    LOG.info("colour histogram 1-NN rank-1: visible->visible {}, infrared->visible {}, chance {}",
        String.format("%.3f", visible), String.format("%.3f", cross), String.format("%.3f", chance));
    assertThat(visible).isGreaterThan(8 * chance);
    assertThat(cross).isLessThan(2 * chance);
  }

  @Test
  void shapeAndPatternCuesAreSharedAcrossModalities() {
    double chance = 1.0 / IDS;
    double cross = rank1(shapeFeatures, INFRARED_QUERY, GALLERY);
    double infrared = rank1(shapeFeatures, c -> c == 3, c -> c == 6);
    LOG.info("orientation histogram 1-NN rank-1: infrared->visible {}, infrared cam3->cam6 {}, chance {}",
        String.format("%.3f", cross), String.format("%.3f", infrared), String.format("%.3f", chance));
    assertThat(cross).isGreaterThan(2 * chance);
    assertThat(infrared).isGreaterThan(cross);
  }
}
