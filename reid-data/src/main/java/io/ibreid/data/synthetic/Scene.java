package io.ibreid.data.synthetic;

import io.ibreid.core.random.Seeds;
import java.util.Random;

/**
 * One background place: a wall and a floor with 4–8 clutter rectangles (doors, windows, posts), each with a colour
 * (what visible cameras see) and a heat level (what infrared cameras see), drawn independently. Every camera can
 * look at every place, so the place identifies neither a camera nor a person (unless
 * {@link Difficulty#correlation()} ties training identities to a preferred place). Coordinates are fractions of
 * the image: x across, y down.
 */
public final class Scene {
  final int place;
  final float[] wall;
  final float wallHeat;
  final float[] floor;
  final float floorHeat;
  final double floorLine;
  final double[][] clutter;
  final float[][] clutterColour;
  final float[] clutterHeat;

  private Scene(int place, Random r) {
    this.place = place;
    wall = sceneColour(r);
    wallHeat = (float) Person.uniform(r, 0.12, 0.4);
    floor = sceneColour(r);
    floorHeat = (float) Person.uniform(r, 0.1, 0.35);
    floorLine = Person.uniform(r, 0.55, 0.85);
    int n = 4 + r.nextInt(5);
    clutter = new double[n][];
    clutterColour = new float[n][];
    clutterHeat = new float[n];
    for (int i = 0; i < n; i++) {
      double x0 = Person.uniform(r, -0.2, 1.0);
      double y0 = Person.uniform(r, -0.1, 0.9);
      double w = Person.uniform(r, 0.05, 0.5);
      double h = Person.uniform(r, 0.05, 0.6);
      clutter[i] = new double[] {x0, y0, x0 + w, y0 + h};
      clutterColour[i] = sceneColour(r);
      clutterHeat[i] = (float) Person.uniform(r, 0.05, 0.75);
    }
  }

  /** Place {@code place} (0-based) of the data set with generator seed {@code seed}. */
  public static Scene draw(long seed, int place) {
    return new Scene(place, new Random(Seeds.derive(seed, place, "place")));
  }

  public int place() {
    return place;
  }

  /** Index of the clutter rectangle at (sx, sy), or -2 for the wall, -3 for the floor. */
  int regionAt(double sx, double sy) {
    int found = sy > floorLine ? -3 : -2;
    for (int k = 0; k < clutter.length; k++) {
      double[] b = clutter[k];
      if (sx >= b[0] && sx < b[2] && sy >= b[1] && sy < b[3]) {
        found = k;
      }
    }
    return found;
  }

  float[] colour(int region) {
    return region == -3 ? floor : region == -2 ? wall : clutterColour[region];
  }

  float heat(int region) {
    return region == -3 ? floorHeat : region == -2 ? wallHeat : clutterHeat[region];
  }

  /** Colour of clutter item {@code k mod n} (occluders take their colour and heat from the place's clutter). */
  float[] occluderColour(int k) {
    return clutterColour[Math.floorMod(k, clutterColour.length)];
  }

  float occluderHeat(int k) {
    return clutterHeat[Math.floorMod(k, clutterHeat.length)];
  }

  private static float[] sceneColour(Random r) {
    double[] c = Person.hsv(r.nextDouble(), Person.uniform(r, 0.0, 0.3), Person.uniform(r, 0.3, 0.85));
    return new float[] {(float) c[0], (float) c[1], (float) c[2]};
  }
}
