package io.ibreid.data.training;

import io.ibreid.core.IbreidException;
import io.ibreid.data.augment.AugmentSettings;

/**
 * Parameters every training-set plug-in of reid-data accepts under {@code data.params}: the holdout split, what to
 * do with corrupt images, the augmentation and the loader's read-ahead. Public fields with their defaults.
 */
public class DatasetParams {
  /** Training identities kept aside as a validation split (never test identities); 0 = none. */
  public int holdout = 0;
  /** Seed of the holdout choice (independent of the run seed, so evaluation finds the same split). */
  public long holdoutSeed = 1;
  /** Decode every image when opening and skip (with a warning) the ones that fail, instead of stopping. */
  public boolean skipCorrupt = false;
  /** Probability of a horizontal flip. */
  public double flip = 0.5;
  /** Zero padding in pixels before the random crop back to the input size; -1 = input height / 16. */
  public int pad = -1;
  /** Probability of random erasing. */
  public double erasing = 0.5;
  /** Smallest erased area, as a fraction of the image. */
  public double erasingMinArea = 0.02;
  /** Largest erased area, as a fraction of the image. */
  public double erasingMaxArea = 0.4;
  /** Smallest aspect ratio h/w of the erased rectangle (the largest is its inverse). */
  public double erasingMinAspect = 0.3;
  /** Probability that a visible training image is replaced by its grayscale copy (0 = never; CAJ-style). */
  public double gray = 0;
  /** Batches decoded ahead of the trainer; 0 = twice the number of loader threads. */
  public int prefetch = 0;

  /** The augmentation for input height {@code height}. */
  public AugmentSettings augmentation(int height) {
    if (pad < -1) {
      throw new IbreidException("data.params.pad = " + pad + " is out of range; expected -1 (input height / 16) "
          + "or 0 or more pixels");
    }
    int p = pad == -1 ? Math.max(1, Math.round(height / 16f)) : pad;
    return new AugmentSettings(flip, p, erasing, erasingMinArea, erasingMaxArea, erasingMinAspect, gray);
  }
}
