package io.ibreid.data.synthetic;

import io.ibreid.core.branch.View;
import io.ibreid.data.image.FloatImage;
import java.util.Random;

/**
 * Draws one synthetic image of a {@link Person} seen by a {@link CameraModel}. Geometry (pose, position, scale,
 * stride, arm swing, which way the person faces, background pan, partial occlusion) comes from one seed and the
 * photometry (illumination, colour cast or thermal gain and offset, blur, noise) from another, so that a
 * co-located visible/thermal camera pair (RegDB) can show the same pose in both modalities.
 *
 * <p>The body is laid out in body-height units: u is the horizontal offset from the body's axis, v the height from
 * the top of the head (0) to the soles (1). Each pixel gets a region (skin, hair, upper or lower garment, shoes,
 * object, strap, occluder or background) and, on garments, a pattern tone (0 or 1). A visible camera paints the
 * region's colour, an infrared camera its heat level (the same grey in all three channels). Everything is computed
 * with {@link StrictMath}, so a seed gives the same pixels on every JVM.
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

  private static final float SKIN_HEAT = 0.92f;
  private static final float HAIR_HEAT = 0.5f;
  private static final float SHOE_HEAT = 0.3f;

  private Renderer() {}

  /** The image as three channels in [0, 1]. */
  public static FloatImage render(Person p, CameraModel cam, int height, int width, long geometrySeed,
      long photoSeed) {
    Random g = new Random(geometrySeed);
    double scale = Person.uniform(g, 0.9, 1.05);
    double bh = p.heightFrac * height * scale;
    double cx = width / 2.0 + Person.uniform(g, -0.08, 0.08) * width;
    double top = (height - bh) / 2 + Person.uniform(g, -0.04, 0.04) * height;
    Pose pose = new Pose(g.nextDouble(), g.nextBoolean() ? 1 : -1, Person.uniform(g, -1, 1));
    double pan = Person.uniform(g, -0.15, 0.15);
    boolean occluded = g.nextDouble() < 0.2;
    boolean horizontalOccluder = g.nextBoolean();
    double occStart = Person.uniform(g, horizontalOccluder ? 0.3 : -0.25, horizontalOccluder ? 0.85 : 0.2);
    double occSize = Person.uniform(g, horizontalOccluder ? 0.12 : 0.08, horizontalOccluder ? 0.3 : 0.2);
    int occColour = g.nextInt(cam.clutterColour.length);

    int n = height * width;
    int[] region = new int[n];
    int[] tone = new int[n];
    double[] shade = new double[n];
    int[] toneOut = new int[1];
    for (int y = 0; y < height; y++) {
      double v = (y + 0.5 - top) / bh;
      for (int x = 0; x < width; x++) {
        double u = (x + 0.5 - cx) / bh;
        int i = y * width + x;
        toneOut[0] = 0;
        int r = body(p, pose, u, v, toneOut);
        if (occluded && (horizontalOccluder ? v >= occStart && v < occStart + occSize
            : u >= occStart && u < occStart + occSize)) {
          r = OCCLUDER;
        }
        region[i] = r;
        tone[i] = toneOut[0];
        double half = p.shoulderFrac / 2 + 0.05;
        double t = StrictMath.max(-1, StrictMath.min(1, u / half));
        shade[i] = r == BACKGROUND || r == OCCLUDER ? 1 : 0.82 + 0.18 * StrictMath.cos(t * StrictMath.PI / 2);
      }
    }

    Random ph = new Random(photoSeed);
    boolean ir = cam.modality == View.INFRARED;
    FloatImage img = new FloatImage(3, height, width);
    float[] d = img.data();
    if (ir) {
      double gain = Person.uniform(ph, 0.85, 1.15);
      double offset = Person.uniform(ph, -0.06, 0.06);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int i = y * width + x;
          double base = switch (region[i]) {
            case SKIN -> SKIN_HEAT;
            case HAIR -> HAIR_HEAT;
            case UPPER -> p.upperHeat[tone[i]];
            case LOWER -> p.lowerHeat[tone[i]];
            case SHOES -> SHOE_HEAT;
            case OBJECT -> p.objectHeat;
            case OCCLUDER -> cam.clutterColour[occColour][0];
            default -> scene(cam, (x + 0.5) / width + pan, (y + 0.5) / height)[0];
          };
          float val = (float) (base * shade[i] * gain + offset);
          d[i] = val;
          d[n + i] = val;
          d[2 * n + i] = val;
        }
      }
    } else {
      double gain = cam.brightness * Person.uniform(ph, 0.7, 1.25);
      double[] cast = new double[3];
      for (int c = 0; c < 3; c++) {
        cast[c] = cam.cast[c] * Person.uniform(ph, 0.95, 1.05);
      }
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int i = y * width + x;
          float[] base = switch (region[i]) {
            case SKIN -> p.skinColour;
            case HAIR -> p.hairColour;
            case UPPER -> p.upperColour[tone[i]];
            case LOWER -> p.lowerColour[tone[i]];
            case SHOES -> p.shoeColour;
            case OBJECT -> p.objectColour;
            case OCCLUDER -> cam.clutterColour[occColour];
            default -> scene(cam, (x + 0.5) / width + pan, (y + 0.5) / height);
          };
          for (int c = 0; c < 3; c++) {
            d[c * n + i] = (float) (base[c] * shade[i] * gain * cast[c]);
          }
        }
      }
    }
    int passes = ph.nextInt(3);
    for (int k = 0; k < passes; k++) {
      blur(img);
    }
    double sigma = cam.noise * Person.uniform(ph, 0.5, 1.5);
    for (int i = 0; i < n; i++) {
      if (ir) {
        float e = (float) (ph.nextGaussian() * sigma);
        for (int c = 0; c < 3; c++) {
          d[c * n + i] = clamp(d[c * n + i] + e);
        }
      } else {
        for (int c = 0; c < 3; c++) {
          d[c * n + i] = clamp(d[c * n + i] + (float) (ph.nextGaussian() * sigma));
        }
      }
    }
    return img;
  }

  /** Per-image pose: leg stride (0..1), facing (+1/-1, mirrors the object side and diagonals), arm swing. */
  private record Pose(double stride, int facing, double swing) {}

  /** The region at body coordinates (u, v); writes the pattern tone into {@code tone[0]} for garments. */
  static int body(Person p, Pose pose, double u, double v, int[] tone) {
    if (v < -0.02 || v > 1.02) {
      return BACKGROUND;
    }
    double hf = p.headFrac;
    double headRx = hf * 0.38;
    double neck = hf + 0.02;
    double waist = hf + p.torsoFrac;
    double shoulder = p.shoulderFrac / 2;
    double side = p.objectSide * pose.facing();
    double os = p.objectSize;
    double legBottom = 0.965;
    int r = BACKGROUND;

    if (p.longHair && v > hf * 0.3 && v < hf * 1.7 && StrictMath.abs(u) < headRx * 1.2) {
      r = HAIR;
    }
    if (p.carried == Person.Carried.BACKPACK) {
      double s = u * side;
      if (v > neck + 0.02 && v < neck + 0.02 + 0.24 * os && s > shoulder - 0.03 && s < shoulder + 0.09 * os) {
        r = OBJECT;
      }
    }
    // legs and shoes
    if (v >= waist - 0.02 && v <= 1.0) {
      double t = StrictMath.max(0, StrictMath.min(1, (v - waist) / (legBottom - waist)));
      double half = p.legFrac / 2;
      for (int leg = -1; leg <= 1; leg += 2) {
        double centre = leg * (half * 1.1 + pose.stride() * 0.05 * t);
        if (StrictMath.abs(u - centre) < (v >= legBottom ? half + 0.012 : half)) {
          if (v >= legBottom) {
            r = SHOES;
          } else if (p.longTrousers || v < waist + 0.15) {
            r = LOWER;
            tone[0] = pattern(p.lowerPattern, u * pose.facing(), v - waist, p.lowerPeriod, p.lowerPhase);
          } else {
            r = SKIN;
          }
        }
      }
    }
    if (v >= waist - 0.02 && v < waist + 0.06 && StrictMath.abs(u) < shoulder * 0.82) {
      r = LOWER;
      tone[0] = pattern(p.lowerPattern, u * pose.facing(), v - waist, p.lowerPeriod, p.lowerPhase);
    }
    // arms
    double armW = 0.055;
    if (v > neck && v < waist + 0.07) {
      double t = (v - neck) / (waist + 0.07 - neck);
      for (int arm = -1; arm <= 1; arm += 2) {
        double centre = arm * (shoulder + armW / 2 - 0.01) + arm * pose.swing() * 0.025 * t;
        if (StrictMath.abs(u - centre) < armW / 2) {
          boolean sleeve = p.longSleeves ? v < waist + 0.03 : v < neck + 0.1;
          if (sleeve) {
            r = UPPER;
            tone[0] = pattern(p.upperPattern, u * pose.facing(), v - neck, p.upperPeriod, p.upperPhase);
          } else {
            r = SKIN;
          }
        }
      }
    }
    // torso with rounded shoulders
    if (v >= neck && v < waist) {
      double half = v < neck + 0.03 ? shoulder * (0.7 + 0.3 * (v - neck) / 0.03)
          : shoulder - (shoulder * 0.18) * (v - neck - 0.03) / StrictMath.max(1e-6, waist - neck - 0.03);
      if (StrictMath.abs(u) < half) {
        r = UPPER;
        tone[0] = pattern(p.upperPattern, u * pose.facing(), v - neck, p.upperPeriod, p.upperPhase);
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
    if (p.carried == Person.Carried.SHOULDER_BAG) {
      // strap from the opposite shoulder down to the bag's hip
      double t = (v - neck) / (waist - neck);
      double strapU = -side * shoulder * 0.8 + side * shoulder * 1.6 * t;
      if (t >= 0 && t <= 1 && StrictMath.abs(u - strapU) < 0.014) {
        r = OBJECT;
      }
      double s = u * side;
      if (v > waist - 0.05 && v < waist + 0.1 * os && s > shoulder - 0.04 && s < shoulder + 0.08 * os) {
        r = OBJECT;
      }
    } else if (p.carried == Person.Carried.HAND_BAG) {
      double s = u * side;
      if (v > waist + 0.06 && v < waist + 0.06 + 0.12 * os && s > shoulder - 0.01 && s < shoulder + 0.09 * os) {
        r = OBJECT;
      }
    }
    return r;
  }

  /** Pattern tone (0/1) at garment coordinates (pu across, pv down, in body-height units). */
  static int pattern(Person.Pattern type, double pu, double pv, double period, double phase) {
    return switch (type) {
      case PLAIN -> 0;
      case HORIZONTAL_STRIPES -> band(pv / period + phase);
      case VERTICAL_STRIPES -> band(pu / period + phase);
      case CHECKS -> (band(pv / period + phase) + band(pu / period + phase)) & 1;
      case DIAGONAL_STRIPES -> band((pu + pv) / (period * 1.41) + phase);
    };
  }

  private static int band(double t) {
    return (int) StrictMath.floor(t) & 1;
  }

  /** Background colour (or heat, in all three entries) at scene coordinates (sx across, sy down, in [0, 1]). */
  static float[] scene(CameraModel cam, double sx, double sy) {
    float[] c = sy > cam.floorLine ? cam.floor : cam.wall;
    for (int k = 0; k < cam.clutter.length; k++) {
      double[] b = cam.clutter[k];
      if (sx >= b[0] && sx < b[2] && sy >= b[1] && sy < b[3]) {
        c = cam.clutterColour[k];
      }
    }
    return c;
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
