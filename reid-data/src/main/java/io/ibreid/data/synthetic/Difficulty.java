package io.ibreid.data.synthetic;

import io.ibreid.core.IbreidException;
import java.util.Locale;

/**
 * How hard the synthetic lab is, as parameters (the number of identities and images is in
 * {@link SyntheticGenerator.Spec}). The defaults were chosen once, when the lab was designed (before any ablation
 * ran on it), so that the shared cues are sufficient in principle (a hand-made pixel descriptor finds the right
 * person across modalities for at least half of the test queries) while every nuisance of the first generator is
 * kept at its full range; reid-data's README says why each value.
 *
 * @param contrast smallest difference between the two tones of a patterned garment, in luminance (visible) and in
 *     heat level (infrared), in [0, 1]; the strength of the pattern cues both modalities share. Default 0.25.
 * @param nuisance scale of every per-image jitter (body scale, offsets, stride, arm swing, background pan,
 *     illumination or thermal gain and offset, colour cast, blur, noise); 0 renders every image of a person alike
 *     (facing stays random only above 0), 1 is the default, up to 2.
 * @param occlusion probability that an image has an occluder (a horizontal bar or a post). Default 0.2.
 * @param places number of background places (scenes) every camera can look at. Default 8.
 * @param correlation probability that a training identity's image shows that identity's preferred place instead
 *     of a random one (nuisance that correlates with identity in training only; test identities always get a
 *     random place). Default 0: nuisance identifies nobody.
 */
public record Difficulty(double contrast, double nuisance, double occlusion, int places, double correlation) {
  /** The defaults. */
  public static final Difficulty DEFAULT = new Difficulty(0.25, 1.0, 0.2, 8, 0.0);

  public Difficulty {
    if (!(contrast >= 0 && contrast <= 0.5)) {
      throw new IbreidException("synthetic contrast " + contrast + " is out of range; expected 0..0.5");
    }
    if (!(nuisance >= 0 && nuisance <= 2)) {
      throw new IbreidException("synthetic nuisance " + nuisance + " is out of range; expected 0..2");
    }
    if (!(occlusion >= 0 && occlusion <= 1)) {
      throw new IbreidException("synthetic occlusion " + occlusion + " is out of range; expected 0..1");
    }
    if (places < 1 || places > 64) {
      throw new IbreidException("synthetic places " + places + " is out of range; expected 1..64");
    }
    if (!(correlation >= 0 && correlation <= 1)) {
      throw new IbreidException("synthetic correlation " + correlation + " is out of range; expected 0..1");
    }
  }

  /** The lines of {@code synthetic.txt} for these parameters. */
  String describe() {
    return String.format(Locale.ROOT, "contrast=%s\nnuisance=%s\nocclusion=%s\nplaces=%d\ncorrelation=%s\n",
        contrast, nuisance, occlusion, places, correlation);
  }
}
