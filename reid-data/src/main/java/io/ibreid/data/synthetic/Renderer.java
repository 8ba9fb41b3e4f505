package io.ibreid.data.synthetic;

import io.ibreid.core.branch.View;
import io.ibreid.data.image.FloatImage;
import java.util.Random;

/**
 * Draws one synthetic image of a {@link Person} from its per-image factors ({@link Shot}), in front of a
 * {@link Scene}, as a visible or an infrared camera sees it. The image is a pure function of its arguments (the
 * noise comes from {@link Shot#noiseSeed()}), so an image re-rendered from its factor-file row has the same pixels.
 *
 * <p>The body is laid out in body-height units: u is the horizontal offset from the body's axis, v the height from
 * the top of the head (0) to the soles (1). Each pixel gets a region (skin, hair, upper or lower garment, shoes,
 * object, occluder or background) and, on garments, a pattern tone (0 or 1). A visible camera paints the region's
 * colour, an infrared camera its heat level (the same grey in all three channels). Transcendental functions use
 * {@link StrictMath}, so a seed gives the same pixels on every JVM.
 */
public final class Renderer {
  static final int BACKGROUND = 0;
  static final int SKIN = 1;
  static final int HAIR = 2;
  static final int UPPER = 3;
  static final int LOWER = 4;
  static final int SHOES = 5;
  static final int OBJECT = 6;
  static final int OCCLUDER = 7;

  static final float SKIN_HEAT = 0.92f;
  static final float HAIR_HEAT = 0.5f;
  static final float SHOE_HEAT = 0.3f;

  private Renderer() {}

  /** The per-pixel layout of an image: region and pattern tone of every pixel, row-major. */
  record Layout(int height, int width, int[] region, int[] tone, double[] shade, double[] sceneX) {}

  /** The image as three channels in [0, 1]. */
  public static FloatImage render(Person p, Shot s, Scene scene, View modality, int height, int width) {
    Layout l = layout(p, s, height, width);
    int n = height * width;
    boolean ir = modality == View.INFRARED;
    FloatImage img = new FloatImage(3, height, width);
    float[] d = img.data();
    Person.Colours c = p.colours();
    Person.Heats h = p.heats();
    float[][] colours = {null, c.skin().floats(), c.hair().floats(), null, null, c.shoes().floats(),
        c.object().floats(), scene.occluderColour(s.occluderColour())};
    float[][] upper = {c.upper0().floats(), c.upper1().floats()};
    float[][] lower = {c.lower0().floats(), c.lower1().floats()};
    float[] heats = {0, SKIN_HEAT, HAIR_HEAT, 0, 0, SHOE_HEAT, (float) h.object(),
        scene.occluderHeat(s.occluderColour())};
    float[] upperHeat = {(float) h.upper0(), (float) h.upper1()};
    float[] lowerHeat = {(float) h.lower0(), (float) h.lower1()};
    double gain = s.gain();
    double[] cast = {s.castR(), s.castG(), s.castB()};
    for (int y = 0; y < height; y++) {
      double sy = (y + 0.5) / height;
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        int r = l.region[i];
        if (ir) {
          double base;
          if (r == BACKGROUND) {
            base = scene.heat(scene.regionAt(l.sceneX[x], sy));
          } else if (r == UPPER) {
            base = upperHeat[l.tone[i]];
          } else if (r == LOWER) {
            base = lowerHeat[l.tone[i]];
          } else {
            base = heats[r];
          }
          float v = (float) (base * l.shade[i] * gain + s.thermalOffset());
          d[i] = v;
          d[n + i] = v;
          d[2 * n + i] = v;
        } else {
          float[] base;
          if (r == BACKGROUND) {
            base = scene.colour(scene.regionAt(l.sceneX[x], sy));
          } else if (r == UPPER) {
            base = upper[l.tone[i]];
          } else if (r == LOWER) {
            base = lower[l.tone[i]];
          } else {
            base = colours[r];
          }
          for (int k = 0; k < 3; k++) {
            d[k * n + i] = (float) (base[k] * l.shade[i] * gain * cast[k]);
          }
        }
      }
    }
    for (int k = 0; k < s.blur(); k++) {
      blur(img);
    }
    Random noise = new Random(s.noiseSeed());
    double sigma = s.noise();
    for (int i = 0; i < n; i++) {
      if (ir) {
        float e = (float) (noise.nextGaussian() * sigma);
        for (int k = 0; k < 3; k++) {
          d[k * n + i] = clamp(d[k * n + i] + e);
        }
      } else {
        for (int k = 0; k < 3; k++) {
          d[k * n + i] = clamp(d[k * n + i] + (float) (noise.nextGaussian() * sigma));
        }
      }
    }
    return img;
  }

  /** Regions, pattern tones and shading of every pixel. */
  static Layout layout(Person p, Shot s, int height, int width) {
    Person.Shape sh = p.shape();
    double bh = sh.height() * height * s.scale();
    double cx = width / 2.0 + s.offsetX() * width;
    double top = (height - bh) / 2 + s.offsetY() * height;
    int n = height * width;
    int[] region = new int[n];
    int[] tone = new int[n];
    double[] shade = new double[n];
    int[] toneOut = new int[1];
    boolean bar = Shot.BAR.equals(s.occluder());
    boolean post = Shot.POST.equals(s.occluder());
    double half = sh.shoulder() / 2 + 0.05;
    for (int y = 0; y < height; y++) {
      double v = (y + 0.5 - top) / bh;
      for (int x = 0; x < width; x++) {
        double u = (x + 0.5 - cx) / bh;
        int i = y * width + x;
        toneOut[0] = 0;
        int r = body(sh, s, u, v, toneOut);
        if (bar && v >= s.occluderStart() && v < s.occluderStart() + s.occluderSize()
            || post && u >= s.occluderStart() && u < s.occluderStart() + s.occluderSize()) {
          r = OCCLUDER;
        }
        region[i] = r;
        tone[i] = toneOut[0];
        double t = StrictMath.max(-1, StrictMath.min(1, u / half));
        shade[i] = r == BACKGROUND || r == OCCLUDER ? 1 : 0.82 + 0.18 * StrictMath.cos(t * StrictMath.PI / 2);
      }
    }
    double[] sceneX = new double[width];
    for (int x = 0; x < width; x++) {
      sceneX[x] = (x + 0.5) / width + s.pan();
    }
    return new Layout(height, width, region, tone, shade, sceneX);
  }

  /** The region at body coordinates (u, v); writes the pattern tone into {@code tone[0]} for garments. */
  static int body(Person.Shape p, Shot pose, double u, double v, int[] tone) {
    if (v < -0.02 || v > 1.02) {
      return BACKGROUND;
    }
    double hf = p.head();
    double headRx = hf * 0.38;
    double neck = hf + 0.02;
    double waist = hf + p.torso();
    double shoulder = p.shoulder() / 2;
    int facing = pose.facing();
    double side = p.objectSide() * facing;
    double os = p.objectSize();
    double legBottom = 0.965;
    int r = BACKGROUND;

    if (p.longHair() && v > hf * 0.3 && v < hf * 2.1 && StrictMath.abs(u) < headRx * 1.25) {
      r = HAIR;
    }
    if (p.carried() == Person.Carried.BACKPACK) {
      double s = u * side;
      if (v > neck + 0.02 && v < neck + 0.02 + 0.26 * os && s > shoulder - 0.03 && s < shoulder + 0.12 * os) {
        r = OBJECT;
      }
    }
    // legs and shoes
    if (v >= waist - 0.02 && v <= 1.0) {
      double t = StrictMath.max(0, StrictMath.min(1, (v - waist) / (legBottom - waist)));
      double half = p.leg() / 2;
      for (int leg = -1; leg <= 1; leg += 2) {
        double centre = leg * (half * 1.1 + pose.stride() * 0.05 * t);
        if (StrictMath.abs(u - centre) < (v >= legBottom ? half + 0.012 : half)) {
          if (v >= legBottom) {
            r = SHOES;
          } else if (p.longTrousers() || v < waist + 0.16) {
            r = LOWER;
            tone[0] = pattern(p.lowerPattern(), u * facing, v - waist, p.lowerPeriod(), p.lowerPhase());
          } else {
            r = SKIN;
          }
        }
      }
    }
    if (v >= waist - 0.02 && v < waist + 0.06 && StrictMath.abs(u) < shoulder * 0.82) {
      r = LOWER;
      tone[0] = pattern(p.lowerPattern(), u * facing, v - waist, p.lowerPeriod(), p.lowerPhase());
    }
    // arms
    double armW = 0.055;
    if (v > neck && v < waist + 0.07) {
      double t = (v - neck) / (waist + 0.07 - neck);
      for (int arm = -1; arm <= 1; arm += 2) {
        double centre = arm * (shoulder + armW / 2 - 0.01) + arm * pose.swing() * 0.025 * t;
        if (StrictMath.abs(u - centre) < armW / 2) {
          boolean sleeve = p.longSleeves() ? v < waist + 0.03 : v < neck + 0.1;
          if (sleeve) {
            r = UPPER;
            tone[0] = pattern(p.upperPattern(), u * facing, v - neck, p.upperPeriod(), p.upperPhase());
          } else {
            r = SKIN;
          }
        }
      }
    }
    // torso with rounded shoulders
    if (v >= neck && v < waist) {
      double half = v < neck + 0.03 ? shoulder * (0.7 + 0.3 * (v - neck) / 0.03)
          : shoulder - (shoulder * 0.15) * (v - neck - 0.03) / StrictMath.max(1e-6, waist - neck - 0.03);
      if (StrictMath.abs(u) < half) {
        r = UPPER;
        tone[0] = pattern(p.upperPattern(), u * facing, v - neck, p.upperPeriod(), p.upperPhase());
      }
    }
    // neck and head
    if (v >= hf * 0.9 && v < neck + 0.01 && StrictMath.abs(u) < 0.03) {
      r = SKIN;
    }
    double dy = (v - hf / 2) / (hf / 2);
    double dx = u / headRx;
    if (dx * dx + dy * dy < 1) {
      r = v < hf * 0.32 ? HAIR : SKIN;
    }
    // objects worn in front
    if (p.carried() == Person.Carried.SHOULDER_BAG) {
      // strap from the opposite shoulder down to the bag's hip
      double t = (v - neck) / (waist - neck);
      double strapU = -side * shoulder * 0.8 + side * shoulder * 1.6 * t;
      if (t >= 0 && t <= 1 && StrictMath.abs(u - strapU) < 0.022) {
        r = OBJECT;
      }
      double s = u * side;
      if (v > waist - 0.06 && v < waist + 0.12 * os && s > shoulder - 0.04 && s < shoulder + 0.1 * os) {
        r = OBJECT;
      }
    } else if (p.carried() == Person.Carried.HAND_BAG) {
      double s = u * side;
      if (v > waist + 0.08 && v < waist + 0.08 + 0.15 * os && s > shoulder - 0.005 && s < shoulder + 0.11 * os) {
        r = OBJECT;
      }
    }
    return r;
  }

  /**
   * Pattern tone (0/1) at garment coordinates (pu across, pv down, in body-height units): stripes of period
   * {@code period} (a light and a dark band of half a period each), shifted by {@code phase} periods.
   */
  static int pattern(Person.Pattern type, double pu, double pv, double period, double phase) {
    double half = period / 2;
    return switch (type) {
      case PLAIN -> 0;
      case HORIZONTAL_STRIPES -> band(pv / half + 2 * phase);
      case VERTICAL_STRIPES -> band(pu / half + 2 * phase);
      case CHECKS -> (band(pv / half + 2 * phase) + band(pu / half + 2 * phase)) & 1;
      case DIAGONAL_STRIPES -> band((pu + pv) / (half * 1.41) + 2 * phase);
    };
  }

  private static int band(double t) {
    return (int) StrictMath.floor(t) & 1;
  }

  /** One pass of the separable [1 2 1]/4 kernel, edges replicated. */
  static void blur(FloatImage img) {
    int h = img.height();
    int w = img.width();
    float[] d = img.data();
    float[] row = new float[Math.max(h, w)];
    for (int c = 0; c < img.channels(); c++) {
      int off = c * h * w;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float l = d[off + y * w + Math.max(0, x - 1)];
          float r = d[off + y * w + Math.min(w - 1, x + 1)];
          row[x] = 0.25f * l + 0.5f * d[off + y * w + x] + 0.25f * r;
        }
        System.arraycopy(row, 0, d, off + y * w, w);
      }
      for (int x = 0; x < w; x++) {
        for (int y = 0; y < h; y++) {
          float a = d[off + Math.max(0, y - 1) * w + x];
          float b = d[off + Math.min(h - 1, y + 1) * w + x];
          row[y] = 0.25f * a + 0.5f * d[off + y * w + x] + 0.25f * b;
        }
        for (int y = 0; y < h; y++) {
          d[off + y * w + x] = row[y];
        }
      }
    }
  }

  private static float clamp(float v) {
    return v < 0 ? 0 : Math.min(v, 1);
  }
}
