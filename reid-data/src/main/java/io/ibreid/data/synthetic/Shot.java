package io.ibreid.data.synthetic;

import io.ibreid.core.branch.View;
import java.util.Random;

/**
 * The per-image factors of one synthetic image — everything that varies from one image of a person to the next and
 * identifies no one: pose, position, background, occlusion and photometry. Each is a factor of the factor file.
 * Continuous values are quantised to 1e-4 (see {@link Person}).
 *
 * @param stride leg stride, 0..1 at nuisance 1 (feet apart by {@code 0.1 * stride} body heights)
 * @param facing +1 or -1: which way the person faces (mirrors the object's side and the diagonal stripes)
 * @param swing arm swing, -1..1 at nuisance 1
 * @param scale body scale factor (0.93..1.05 at nuisance 1)
 * @param offsetX horizontal offset of the body's axis from the image centre, in image widths
 * @param offsetY vertical offset of the body, in image heights
 * @param place background place (0-based, see {@link Scene})
 * @param pan horizontal pan of the background, in image widths
 * @param occluder {@code none}, {@code bar} (horizontal) or {@code post} (vertical)
 * @param occluderStart where the occluder starts: body height fraction (bar) or body-axis offset in body heights
 *     (post)
 * @param occluderSize its extent in body heights
 * @param occluderColour which clutter item of the place gives its colour and heat
 * @param gain illumination gain (visible: includes the camera's brightness) or thermal gain (infrared)
 * @param castR colour cast on red (visible; includes the camera's cast; 1 in infrared)
 * @param thermalOffset thermal offset (infrared; 0 in visible images)
 * @param blur passes of the [1 2 1] blur
 * @param noise standard deviation of the Gaussian pixel noise
 * @param noiseSeed seed of the noise realisation
 */
public record Shot(double stride, int facing, double swing, double scale, double offsetX, double offsetY, int place,
    double pan, String occluder, double occluderStart, double occluderSize, int occluderColour, double gain,
    double castR, double castG, double castB, double thermalOffset, int blur, double noise, long noiseSeed) {
  /** The occluder kinds. */
  public static final String NONE = "none";
  public static final String BAR = "bar";
  public static final String POST = "post";

  /**
   * Draws the geometry (from {@code g}: pose, position, place, occlusion) and the photometry (from {@code ph}) of an
   * image. A co-located visible/thermal pair (RegDB) uses the same {@code g} seed, so it shares pose and place.
   *
   * @param preferredPlace the identity's preferred place, or -1 (test identities; or no correlation)
   */
  static Shot draw(Random g, Random ph, long noiseSeed, Difficulty d, CameraModel cam, int preferredPlace) {
    double n = d.nuisance();
    double stride = q(n * g.nextDouble());
    boolean flip = g.nextBoolean();
    int facing = n > 0 && flip ? -1 : 1;
    double swing = q(n * uniform(g, -1, 1));
    double scale = q(1 + n * uniform(g, -0.07, 0.05));
    double offsetX = q(n * uniform(g, -0.08, 0.08));
    double offsetY = q(n * uniform(g, -0.04, 0.04));
    double u = g.nextDouble();
    int random = g.nextInt(d.places());
    int place = preferredPlace >= 0 && u < d.correlation() ? preferredPlace : random;
    double pan = q(n * uniform(g, -0.15, 0.15));
    boolean occluded = g.nextDouble() < d.occlusion();
    boolean bar = g.nextBoolean();
    double start = q(uniform(g, bar ? 0.3 : -0.25, bar ? 0.85 : 0.2));
    double size = q(uniform(g, bar ? 0.12 : 0.08, bar ? 0.3 : 0.2));
    int colour = g.nextInt(8);

    boolean ir = cam.modality == View.INFRARED;
    double gain;
    double[] cast = {1, 1, 1};
    double offset = 0;
    if (ir) {
      gain = q(1 + n * uniform(ph, -0.15, 0.15));
      offset = q(n * uniform(ph, -0.06, 0.06));
    } else {
      gain = q(cam.brightness * (1 + n * uniform(ph, -0.3, 0.25)));
      for (int c = 0; c < 3; c++) {
        cast[c] = q(cam.cast[c] * (1 + n * uniform(ph, -0.05, 0.05)));
      }
    }
    int blur = Math.min(4, (int) Math.floor(uniform(ph, 0, 3 * n)));
    double noise = q(cam.noise * uniform(ph, 0.5, 1.5) * n);
    return new Shot(stride, facing, swing, scale, offsetX, offsetY, place, pan, occluded ? (bar ? BAR : POST) : NONE,
        occluded ? start : 0, occluded ? size : 0, occluded ? colour : 0, gain, cast[0], cast[1], cast[2], offset,
        blur, noise, noiseSeed);
  }

  /** A frontal image without any nuisance: scale 1, centred, no occluder, unit gain, no blur or noise. */
  public static Shot neutral(int place) {
    return new Shot(0, 1, 0, 1, 0, 0, place, 0, NONE, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0);
  }

  private static double uniform(Random r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  private static double q(double v) {
    return Person.q(v);
  }
}
