package io.ibreid.data.synthetic;

import io.ibreid.core.branch.View;
import io.ibreid.core.train.Seeds;
import java.util.Random;

/**
 * One synthetic camera: its modality, its scene (a wall and a floor with clutter rectangles: doors, windows,
 * posts; in the infrared, warm and cool objects) and its rendition (a colour cast and a mean brightness for visible
 * cameras; a gain, an offset and a noise level for infrared ones). All of it is a nuisance: every identity is seen
 * by several cameras, so nothing of the camera identifies a person.
 */
public final class CameraModel {
  final int camera;
  final View modality;
  final float[] wall;
  final float[] floor;
  final double floorLine;
  final double[][] clutter;
  final float[][] clutterColour;
  final float[] cast;
  final double brightness;
  final double noise;

  private CameraModel(int camera, View modality, Random r) {
    this.camera = camera;
    this.modality = modality;
    boolean ir = modality == View.INFRARED;
    wall = ir ? grey((float) Person.uniform(r, 0.12, 0.4)) : sceneColour(r);
    floor = ir ? grey((float) Person.uniform(r, 0.1, 0.35)) : sceneColour(r);
    floorLine = Person.uniform(r, 0.55, 0.85);
    int n = 4 + r.nextInt(5);
    clutter = new double[n][];
    clutterColour = new float[n][];
    for (int i = 0; i < n; i++) {
      double x0 = Person.uniform(r, -0.2, 1.0);
      double y0 = Person.uniform(r, -0.1, 0.9);
      double w = Person.uniform(r, 0.05, 0.5);
      double h = Person.uniform(r, 0.05, 0.6);
      clutter[i] = new double[] {x0, y0, x0 + w, y0 + h};
      clutterColour[i] = ir ? grey((float) Person.uniform(r, 0.05, 0.75)) : sceneColour(r);
    }
    cast = ir ? new float[] {1, 1, 1} : new float[] {(float) Person.uniform(r, 0.85, 1.15),
        (float) Person.uniform(r, 0.9, 1.1), (float) Person.uniform(r, 0.85, 1.15)};
    brightness = Person.uniform(r, 0.8, 1.1);
    noise = ir ? Person.uniform(r, 0.015, 0.04) : Person.uniform(r, 0.005, 0.025);
  }

  /** Camera {@code camera} of modality {@code modality} for generator seed {@code seed}. */
  public static CameraModel draw(long seed, int camera, View modality) {
    return new CameraModel(camera, modality, new Random(Seeds.derive(seed, camera, "camera-" + modality.label())));
  }

  public int camera() {
    return camera;
  }

  public View modality() {
    return modality;
  }

  private static float[] grey(float v) {
    return new float[] {v, v, v};
  }

  private static float[] sceneColour(Random r) {
    return Person.hsv(r.nextFloat(), (float) Person.uniform(r, 0.0, 0.3), (float) Person.uniform(r, 0.3, 0.85));
  }
}
