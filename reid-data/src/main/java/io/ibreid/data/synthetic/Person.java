package io.ibreid.data.synthetic;

import java.util.Locale;
import java.util.Random;

/**
 * One synthetic identity (generator version 2): the factors that stay fixed across every image of the person, split
 * by the modality that can see them. Every value is a factor of the factor file ({@link FactorFile}).
 *
 * <ul>
 *   <li><b>Modality-shared</b> ({@link Shape}): a discrete <em>shared code</em> of eight fields (upper garment
 *       pattern with its stripe period, lower garment pattern with its period, carried object, sleeve length,
 *       trouser length, hair length, build = shoulder width, torso length), chosen by {@link Population} so that
 *       any two test identities differ in at least two fields; plus continuous identity factors that vary within
 *       a level (body height, exact shoulder width and torso length, head size, leg width, pattern phases, object
 *       size and side).
 *   <li><b>Visible-only</b> ({@link Colours}): the two tones of each garment, shoes, hair, skin and object. The two
 *       tones of a patterned garment differ in luminance by at least {@link Difficulty#contrast()}, so the pattern's
 *       geometry shows in colour images as it does in heat images.
 *   <li><b>Infrared-only</b> ({@link Heats}): the heat level of each garment tone and of the object, drawn
 *       independently of the colours (two tones at least {@link Difficulty#contrast()} apart). Skin, hair and
 *       shoes have the same heat level for everyone.
 * </ul>
 * Continuous values are quantised to 1e-4, so that the factor file's decimal text gives back the exact values and
 * an image re-rendered from its row has the same pixels.
 */
public record Person(int pid, Shape shape, Colours colours, Heats heats) {
  /** Clothing pattern geometry. */
  public enum Pattern {
    PLAIN("plain"), HORIZONTAL_STRIPES("h-stripes"), VERTICAL_STRIPES("v-stripes"), CHECKS("checks"),
    DIAGONAL_STRIPES("diagonal");

    private final String label;

    Pattern(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    static Pattern parse(String s) {
      for (Pattern p : values()) {
        if (p.label.equals(s)) {
          return p;
        }
      }
      throw new IllegalArgumentException("unknown pattern '" + s + "'");
    }
  }

  /** What the person carries. */
  public enum Carried {
    NONE("none"), BACKPACK("backpack"), SHOULDER_BAG("shoulder-bag"), HAND_BAG("hand-bag");

    private final String label;

    Carried(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    static Carried parse(String s) {
      for (Carried c : values()) {
        if (c.label.equals(s)) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown object '" + s + "'");
    }
  }

  /**
   * Stripe periods in body heights, one per period level. At the network's 64×32 input a body is about 56 pixels
   * tall, so a band (half a period) is 3.4, 4.8 or 6.7 pixels: wider than the resize filter's support; neighbouring
   * levels differ by a factor of 1.41, more than the largest scale ratio between two images (1.05 / 0.93 = 1.13).
   */
  public static final double[] PERIODS = {0.12, 0.17, 0.24};
  /** Shoulder width in body heights per build level (levels 0.06 apart, 3.4 pixels at 64×32; within ±0.01). */
  public static final double[] SHOULDERS = {0.25, 0.31, 0.37};
  /** Torso length in body heights per level (0.08 apart, 4.5 pixels at 64×32; within ±0.01). */
  public static final double[] TORSOS = {0.31, 0.39};
  /** Number of values of each shared-code field (see {@link Shape#code()}). */
  static final int[] RADIX = {13, 4, 4, 2, 2, 2, 3, 2};
  /** Names of the shared-code fields. */
  static final String[] CODE_FIELDS = {"upper pattern and period", "lower pattern and period", "object",
      "sleeves", "trousers", "hair", "build", "torso"};

  /** An RGB colour with channels in [0, 1]. */
  public record Rgb(double r, double g, double b) {
    double luminance() {
      return 0.299 * r + 0.587 * g + 0.114 * b;
    }

    float[] floats() {
      return new float[] {(float) r, (float) g, (float) b};
    }
  }

  /**
   * The modality-shared factors.
   *
   * @param build shoulder-width level, index into {@link #SHOULDERS}
   * @param torsoLevel torso-length level, index into {@link #TORSOS}
   * @param height body height as a fraction of the image height before the per-image scale
   * @param shoulder shoulder width in body heights
   * @param torso torso length in body heights
   * @param head head height in body heights
   * @param leg leg width in body heights
   * @param upperPeriod stripe period in body heights (0 for a plain garment)
   * @param upperPhase stripe phase in periods, [0, 1)
   * @param objectSide side of the object when the person faces right: +1 or -1
   */
  public record Shape(int build, int torsoLevel, double height, double shoulder, double torso, double head,
      double leg, boolean longSleeves, boolean longTrousers, boolean longHair, Pattern upperPattern,
      double upperPeriod, double upperPhase, Pattern lowerPattern, double lowerPeriod, double lowerPhase,
      Carried carried, double objectSize, int objectSide) {
    /** The eight fields of the shared code, each in {@code [0, RADIX[i])}. */
    public int[] code() {
      int upper = upperPattern == Pattern.PLAIN ? 0
          : 1 + 3 * (upperPattern.ordinal() - 1) + level(upperPeriod);
      int lower = lowerPattern == Pattern.PLAIN ? 0 : 1 + level(lowerPeriod);
      return new int[] {upper, lower, carried.ordinal(), longSleeves ? 1 : 0, longTrousers ? 1 : 0,
          longHair ? 1 : 0, build, torsoLevel};
    }
  }

  /** The visible-only factors: garment tones, shoes, hair, skin and object colours. */
  public record Colours(Rgb upper0, Rgb upper1, Rgb lower0, Rgb lower1, Rgb shoes, Rgb hair, Rgb skin,
      Rgb object) {}

  /** The infrared-only factors: heat levels of the garment tones and of the object, in [0, 1]. */
  public record Heats(double upper0, double upper1, double lower0, double lower1, double object) {}

  static int level(double period) {
    for (int i = 0; i < PERIODS.length; i++) {
      if (period == PERIODS[i]) {
        return i;
      }
    }
    throw new IllegalArgumentException("period " + period + " is not one of the levels");
  }

  /** Hamming distance between two shared codes. */
  static int distance(int[] a, int[] b) {
    int d = 0;
    for (int i = 0; i < a.length; i++) {
      d += a[i] != b[i] ? 1 : 0;
    }
    return d;
  }

  /** A uniformly random shared code. */
  static int[] randomCode(Random r) {
    int[] c = new int[RADIX.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = r.nextInt(RADIX[i]);
    }
    return c;
  }

  /** Identity {@code pid} with shared code {@code code}; every other factor drawn from {@code r}. */
  static Person draw(int pid, int[] code, Difficulty difficulty, Random r) {
    Pattern upperPattern = code[0] == 0 ? Pattern.PLAIN : Pattern.values()[1 + (code[0] - 1) / 3];
    double upperPeriod = code[0] == 0 ? 0 : PERIODS[(code[0] - 1) % 3];
    Pattern lowerPattern = code[1] == 0 ? Pattern.PLAIN : Pattern.HORIZONTAL_STRIPES;
    double lowerPeriod = code[1] == 0 ? 0 : PERIODS[code[1] - 1];
    Shape shape = new Shape(code[6], code[7], q(uniform(r, 0.82, 0.95)), q(SHOULDERS[code[6]] + uniform(r, -0.01,
        0.01)), q(TORSOS[code[7]] + uniform(r, -0.01, 0.01)), q(uniform(r, 0.11, 0.14)), q(uniform(r, 0.065,
        0.09)), code[3] == 1, code[4] == 1, code[5] == 1, upperPattern, upperPeriod, q(r.nextDouble()),
        lowerPattern, lowerPeriod, q(r.nextDouble()), Carried.values()[code[2]], q(uniform(r, 0.85, 1.2)),
        r.nextBoolean() ? 1 : -1);
    double c = difficulty.contrast();
    Rgb[] upper = tones(r, c, upperPattern == Pattern.PLAIN);
    Rgb[] lower = tones(r, c, lowerPattern == Pattern.PLAIN);
    Rgb shoes = rgb(hsv(r.nextDouble(), uniform(r, 0, 0.5), uniform(r, 0.1, 0.6)));
    Rgb hair = rgb(hsv(uniform(r, 0.02, 0.12), uniform(r, 0.2, 0.7), uniform(r, 0.05, 0.45)));
    Rgb skin = rgb(hsv(uniform(r, 0.03, 0.09), uniform(r, 0.25, 0.6), uniform(r, 0.35, 0.95)));
    Rgb object = rgb(garmentColour(r));
    Colours colours = new Colours(upper[0], upper[1], lower[0], lower[1], shoes, hair, skin, object);
    double[] uh = heatTones(r, c, upperPattern == Pattern.PLAIN);
    double[] lh = heatTones(r, c, lowerPattern == Pattern.PLAIN);
    Heats heats = new Heats(uh[0], uh[1], lh[0], lh[1], q(uniform(r, 0.05, 0.7)));
    return new Person(pid, shape, colours, heats);
  }

  /** Two garment colours whose luminances differ by at least {@code contrast} (one repeated when plain). */
  private static Rgb[] tones(Random r, double contrast, boolean plain) {
    Rgb a = rgb(garmentColour(r));
    if (plain) {
      return new Rgb[] {a, a};
    }
    Rgb b = rgb(garmentColour(r));
    for (int attempt = 0; attempt < 1000 && Math.abs(a.luminance() - b.luminance()) < contrast; attempt++) {
      b = rgb(garmentColour(r));
    }
    if (Math.abs(a.luminance() - b.luminance()) < contrast) { // cannot happen for contrast <= 0.5 in practice
      b = a.luminance() < 0.5 ? new Rgb(0.95, 0.95, 0.95) : new Rgb(0.05, 0.05, 0.05);
    }
    return new Rgb[] {a, b};
  }

  /** Two heat levels at least {@code contrast} apart (one repeated when plain), in [0.05, 0.95]. */
  private static double[] heatTones(Random r, double contrast, boolean plain) {
    double a = q(uniform(r, 0.15, 0.85));
    double d = uniform(r, contrast, contrast + 0.2) * (r.nextBoolean() ? 1 : -1);
    if (plain) {
      return new double[] {a, a};
    }
    double b = a + d;
    if (b < 0.05 || b > 0.95) {
      b = a - d;
    }
    b = Math.max(0.05, Math.min(0.95, b));
    return new double[] {a, q(b)};
  }

  private static double[] garmentColour(Random r) {
    return hsv(r.nextDouble(), uniform(r, 0.35, 1.0), uniform(r, 0.25, 0.95));
  }

  private static Rgb rgb(double[] c) {
    return new Rgb(q(c[0]), q(c[1]), q(c[2]));
  }

  static double uniform(Random r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  /** {@code v} rounded to 4 decimals: the factor file writes it exactly. */
  static double q(double v) {
    return Math.round(v * 1e4) / 1e4;
  }

  /** HSV (all in [0, 1]) to RGB. */
  static double[] hsv(double h, double s, double v) {
    double hh = (h - Math.floor(h)) * 6;
    int i = (int) Math.floor(hh);
    double f = hh - i;
    double p = v * (1 - s);
    double qq = v * (1 - s * f);
    double t = v * (1 - s * (1 - f));
    return switch (i % 6) {
      case 0 -> new double[] {v, t, p};
      case 1 -> new double[] {qq, v, p};
      case 2 -> new double[] {p, v, t};
      case 3 -> new double[] {p, qq, v};
      case 4 -> new double[] {t, p, v};
      default -> new double[] {v, p, qq};
    };
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Person[%d, code %s]", pid, java.util.Arrays.toString(shape.code()));
  }
}
