package io.ibreid.data.augment;

import io.ibreid.core.IbreidException;

/**
 * Training-time augmentation, applied after resizing to the network input: horizontal flip with probability
 * {@code flip}; zero (black) padding of {@code pad} pixels on every side, then a random crop back to the input
 * size; ImageNet normalisation; random erasing (Zhong et al. 2020) with probability {@code erasing} of a rectangle
 * whose area is a uniform fraction in [{@code erasingMinArea}, {@code erasingMaxArea}] of the image and whose aspect
 * ratio h/w is uniform in [{@code erasingMinAspect}, 1/{@code erasingMinAspect}], filled with 0 (the ImageNet mean
 * colour after normalisation); and, for visible images only, with probability {@code gray}, the grayscale copy
 * ({@link Augmentation#gray}), drawn after every other draw and only when {@code gray > 0}, so settings without it
 * augment exactly as before.
 */
public record AugmentSettings(double flip, int pad, double erasing, double erasingMinArea, double erasingMaxArea,
    double erasingMinAspect, double gray) {
  /** The settings without random grayscale. */
  public AugmentSettings(double flip, int pad, double erasing, double erasingMinArea, double erasingMaxArea,
      double erasingMinAspect) {
    this(flip, pad, erasing, erasingMinArea, erasingMaxArea, erasingMinAspect, 0);
  }

  public AugmentSettings {
    check("flip", flip, 0, 1);
    check("gray", gray, 0, 1);
    check("erasing", erasing, 0, 1);
    check("erasingMinArea", erasingMinArea, 0, 1);
    check("erasingMaxArea", erasingMaxArea, erasingMinArea, 1);
    if (!(erasingMinAspect > 0 && erasingMinAspect <= 1)) {
      throw new IbreidException("data.params.erasingMinAspect = " + erasingMinAspect + " is out of range; expected "
          + "a value in (0, 1]");
    }
    if (pad < 0) {
      throw new IbreidException("data.params.pad = " + pad + " is out of range; expected 0 or more pixels");
    }
  }

  /** No augmentation at all (normalisation only). */
  public static AugmentSettings none() {
    return new AugmentSettings(0, 0, 0, 0.02, 0.4, 0.3);
  }

  private static void check(String key, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) {
      throw new IbreidException("data.params." + key + " = " + v + " is out of range; expected a value in [" + lo
          + ", " + hi + "]");
    }
  }
}
