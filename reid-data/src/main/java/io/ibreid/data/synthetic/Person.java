package io.ibreid.data.synthetic;

import java.util.Random;

/**
 * One synthetic identity: the cues that stay fixed across every image of the person, split by the modality that
 * can see them.
 *
 * <ul>
 *   <li><b>Modality-shared</b> (visible and infrared): body proportions (height, shoulder width, head size, torso
 *       length, leg width), sleeve and trouser length, hair length, the geometry of the clothing pattern (plain,
 *       horizontal or vertical stripes, checks, diagonal stripes; its period and phase) and the carried object
 *       (none, backpack, shoulder bag with its strap, hand bag; size and side).
 *   <li><b>Visible-only</b>: the colours of the garments (two per garment: the pattern's two tones), of the shoes,
 *       hair, skin and the carried object.
 *   <li><b>Infrared-only</b>: the emissivity of each garment tone and of the object, which sets its brightness in
 *       the heat image. It is drawn independently of the colour, so a colour tells nothing about a heat level.
 * </ul>
 * Skin, hair and shoes have the same heat level for everyone (they carry no identity in the infrared).
 */
public final class Person {
  /** Clothing pattern geometry. */
  public enum Pattern { PLAIN, HORIZONTAL_STRIPES, VERTICAL_STRIPES, CHECKS, DIAGONAL_STRIPES }

  /** What the person carries. */
  public enum Carried { NONE, BACKPACK, SHOULDER_BAG, HAND_BAG }

  final int pid;
  // modality-shared
  final double heightFrac;
  final double shoulderFrac;
  final double headFrac;
  final double torsoFrac;
  final double legFrac;
  final boolean longSleeves;
  final boolean longTrousers;
  final boolean longHair;
  final Pattern upperPattern;
  final double upperPeriod;
  final double upperPhase;
  final Pattern lowerPattern;
  final double lowerPeriod;
  final double lowerPhase;
  final Carried carried;
  final double objectSize;
  final int objectSide;
  // visible-only
  final float[][] upperColour;
  final float[][] lowerColour;
  final float[] shoeColour;
  final float[] hairColour;
  final float[] skinColour;
  final float[] objectColour;
  // infrared-only
  final float[] upperHeat;
  final float[] lowerHeat;
  final float objectHeat;

  private Person(int pid, Random r) {
    this.pid = pid;
    heightFrac = uniform(r, 0.8, 0.96);
    shoulderFrac = uniform(r, 0.24, 0.36);
    headFrac = uniform(r, 0.11, 0.15);
    torsoFrac = uniform(r, 0.30, 0.40);
    legFrac = uniform(r, 0.06, 0.09);
    longSleeves = r.nextDouble() < 0.6;
    longTrousers = r.nextDouble() < 0.7;
    longHair = r.nextDouble() < 0.35;
    upperPattern = Pattern.values()[r.nextInt(Pattern.values().length)];
    upperPeriod = uniform(r, 0.05, 0.12);
    upperPhase = r.nextDouble();
    Pattern lower = Pattern.values()[r.nextInt(Pattern.values().length)];
    lowerPattern = lower == Pattern.CHECKS || lower == Pattern.DIAGONAL_STRIPES ? Pattern.PLAIN : lower;
    lowerPeriod = uniform(r, 0.05, 0.12);
    lowerPhase = r.nextDouble();
    carried = Carried.values()[r.nextInt(Carried.values().length)];
    objectSize = uniform(r, 0.8, 1.25);
    objectSide = r.nextBoolean() ? 1 : -1;
    upperColour = new float[][] {garmentColour(r), garmentColour(r)};
    lowerColour = new float[][] {garmentColour(r), garmentColour(r)};
    shoeColour = hsv(r.nextFloat(), (float) uniform(r, 0, 0.5), (float) uniform(r, 0.1, 0.6));
    hairColour = hsv((float) uniform(r, 0.02, 0.12), (float) uniform(r, 0.2, 0.7), (float) uniform(r, 0.05, 0.45));
    skinColour = hsv((float) uniform(r, 0.03, 0.09), (float) uniform(r, 0.25, 0.6), (float) uniform(r, 0.35, 0.95));
    objectColour = garmentColour(r);
    upperHeat = tones(r);
    lowerHeat = tones(r);
    objectHeat = (float) uniform(r, 0.05, 0.6);
  }

  /** The identity {@code pid} of the data set with generator seed {@code seed}. */
  public static Person draw(long seed, int pid) {
    return new Person(pid, new Random(io.ibreid.core.train.Seeds.derive(seed, pid, "person")));
  }

  public int pid() {
    return pid;
  }

  public Pattern upperPattern() {
    return upperPattern;
  }

  public Carried carried() {
    return carried;
  }

  /** Emissivity of the upper garment's two tones (infrared-only cue). */
  public float[] upperHeat() {
    return upperHeat.clone();
  }

  /** Colour of the upper garment's two tones (visible-only cue). */
  public float[][] upperColour() {
    return new float[][] {upperColour[0].clone(), upperColour[1].clone()};
  }

  /** Two heat levels with a visible contrast, so the pattern shows in the infrared too. */
  private static float[] tones(Random r) {
    float a = (float) uniform(r, 0.15, 0.85);
    float d = (float) uniform(r, 0.12, 0.3) * (r.nextBoolean() ? 1 : -1);
    float b = a + d;
    if (b < 0.05f || b > 0.95f) {
      b = a - d;
    }
    return new float[] {a, b};
  }

  private static float[] garmentColour(Random r) {
    return hsv(r.nextFloat(), (float) uniform(r, 0.35, 1.0), (float) uniform(r, 0.25, 0.95));
  }

  static double uniform(Random r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  /** HSV (all in [0, 1]) to RGB. */
  static float[] hsv(float h, float s, float v) {
    float hh = (h - (float) Math.floor(h)) * 6f;
    int i = (int) Math.floor(hh);
    float f = hh - i;
    float p = v * (1 - s);
    float q = v * (1 - s * f);
    float t = v * (1 - s * (1 - f));
    return switch (i % 6) {
      case 0 -> new float[] {v, t, p};
      case 1 -> new float[] {q, v, p};
      case 2 -> new float[] {p, v, t};
      case 3 -> new float[] {p, q, v};
      case 4 -> new float[] {t, p, v};
      default -> new float[] {v, p, q};
    };
  }
}
