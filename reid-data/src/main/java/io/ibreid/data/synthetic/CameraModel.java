package io.ibreid.data.synthetic;

import io.ibreid.core.branch.View;
import io.ibreid.core.random.Seeds;
import java.util.Random;

/**
 * One synthetic camera: its modality and its rendition — a colour cast and a mean brightness for visible cameras,
 * a noise level for both (infrared noisier). Each image jitters these (see {@link Shot}); the values an image was
 * rendered with are its factors. The camera says nothing of the person: every identity passes several cameras.
 */
public final class CameraModel {
  final int camera;
  final View modality;
  final double[] cast;
  final double brightness;
  final double noise;

  private CameraModel(int camera, View modality, Random r) {
    this.camera = camera;
    this.modality = modality;
    boolean ir = modality == View.INFRARED;
    cast = ir ? new double[] {1, 1, 1} : new double[] {Person.uniform(r, 0.85, 1.15), Person.uniform(r, 0.9, 1.1),
        Person.uniform(r, 0.85, 1.15)};
    brightness = ir ? 1 : Person.uniform(r, 0.8, 1.1);
    noise = ir ? Person.uniform(r, 0.015, 0.04) : Person.uniform(r, 0.005, 0.025);
  }

  /** Camera {@code camera} of modality {@code modality} for generator seed {@code seed}. */
  public static CameraModel draw(long seed, int camera, View modality) {
    return new CameraModel(camera, modality, new Random(Seeds.derive(seed, camera, "camera-v2-"
        + modality.label())));
  }

  public int camera() {
    return camera;
  }

  public View modality() {
    return modality;
  }
}
