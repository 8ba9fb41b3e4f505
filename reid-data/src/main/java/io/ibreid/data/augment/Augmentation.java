package io.ibreid.data.augment;

import io.ibreid.data.image.FloatImage;
import io.ibreid.data.image.Normalisation;
import java.util.Random;

/**
 * The training transforms of {@link AugmentSettings}, each a pure function of its input and the random numbers it
 * is given, so a seeded {@link Random} reproduces an augmented image exactly. {@link #apply} draws its numbers in a
 * fixed order: flip, crop offset (top, left), erasing decision, erasing rectangle attempts, and last, for a visible
 * image when {@code gray > 0}, the grayscale decision.
 */
public final class Augmentation {
  private Augmentation() {}

  /** Luma weights of the red, green and blue channels (the authors' release's grayscale, and ib-core's). */
  public static final double[] GRAY_WEIGHTS = {0.2989, 0.587, 0.114};

  /** The augmented, normalised copy of {@code resized} (values in [0, 1], already at the network's input size). */
  public static FloatImage apply(FloatImage resized, AugmentSettings s, Random r) {
    return apply(resized, s, r, false);
  }

  /**
   * As {@link #apply(FloatImage, AugmentSettings, Random)}; a {@code visible} image is then replaced by its grayscale
   * copy with probability {@code s.gray()} (one more draw, only when that probability is above 0).
   */
  public static FloatImage apply(FloatImage resized, AugmentSettings s, Random r, boolean visible) {
    FloatImage img = resized.copy();
    if (r.nextDouble() < s.flip()) {
      img = flip(img);
    }
    if (s.pad() > 0) {
      int top = r.nextInt(2 * s.pad() + 1);
      int left = r.nextInt(2 * s.pad() + 1);
      img = padCrop(img, s.pad(), top, left);
    }
    Normalisation.apply(img);
    if (r.nextDouble() < s.erasing()) {
      randomErase(img, s, r);
    }
    if (visible && s.gray() > 0 && r.nextDouble() < s.gray()) {
      img = gray(img);
    }
    return img;
  }

  /**
   * The grayscale copy of a 3-channel image: every pixel {@code 0.2989 R + 0.587 G + 0.114 B} of its own channels
   * (the model-input values, as the release converts its normalised tensors), repeated into the three channels.
   */
  public static FloatImage gray(FloatImage f) {
    if (f.channels() != 3) {
      throw new IllegalArgumentException("grayscale needs 3 channels, got " + f.channels());
    }
    int plane = f.height() * f.width();
    FloatImage out = new FloatImage(3, f.height(), f.width());
    float[] src = f.data();
    float[] dst = out.data();
    for (int i = 0; i < plane; i++) {
      float y = (float) (GRAY_WEIGHTS[0] * src[i] + GRAY_WEIGHTS[1] * src[plane + i] + GRAY_WEIGHTS[2]
          * src[2 * plane + i]);
      dst[i] = y;
      dst[plane + i] = y;
      dst[2 * plane + i] = y;
    }
    return out;
  }

  /** Mirror image (left-right). */
  public static FloatImage flip(FloatImage f) {
    FloatImage out = new FloatImage(f.channels(), f.height(), f.width());
    float[] src = f.data();
    float[] dst = out.data();
    int w = f.width();
    for (int row = 0; row < f.channels() * f.height(); row++) {
      int base = row * w;
      for (int x = 0; x < w; x++) {
        dst[base + x] = src[base + w - 1 - x];
      }
    }
    return out;
  }

  /**
   * Pads {@code pad} black pixels on every side, then crops the original size at ({@code top}, {@code left}) of the
   * padded image; offsets are in [0, 2·pad], and (pad, pad) returns the input unchanged.
   */
  public static FloatImage padCrop(FloatImage f, int pad, int top, int left) {
    if (top < 0 || left < 0 || top > 2 * pad || left > 2 * pad) {
      throw new IllegalArgumentException("crop offset (" + top + ", " + left + ") outside [0, " + 2 * pad + "]");
    }
    int h = f.height();
    int w = f.width();
    FloatImage out = new FloatImage(f.channels(), h, w);
    float[] src = f.data();
    float[] dst = out.data();
    int dy = top - pad;
    int dx = left - pad;
    for (int c = 0; c < f.channels(); c++) {
      for (int y = 0; y < h; y++) {
        int sy = y + dy;
        if (sy < 0 || sy >= h) {
          continue;
        }
        for (int x = 0; x < w; x++) {
          int sx = x + dx;
          if (sx >= 0 && sx < w) {
            dst[(c * h + y) * w + x] = src[(c * h + sy) * w + sx];
          }
        }
      }
    }
    return out;
  }

  /** Sets a rectangle of every channel to {@code value}. */
  public static void erase(FloatImage f, int top, int left, int height, int width, float value) {
    for (int c = 0; c < f.channels(); c++) {
      for (int y = top; y < top + height; y++) {
        int base = (c * f.height() + y) * f.width();
        for (int x = left; x < left + width; x++) {
          f.data()[base + x] = value;
        }
      }
    }
  }

  /** Random erasing: up to 100 attempts to place a rectangle of the drawn area and aspect inside the image. */
  static void randomErase(FloatImage f, AugmentSettings s, Random r) {
    double area = (double) f.height() * f.width();
    for (int attempt = 0; attempt < 100; attempt++) {
      double target = area * (s.erasingMinArea() + (s.erasingMaxArea() - s.erasingMinArea()) * r.nextDouble());
      double lo = s.erasingMinAspect();
      double aspect = lo + (1 / lo - lo) * r.nextDouble();
      int h = (int) Math.round(Math.sqrt(target * aspect));
      int w = (int) Math.round(Math.sqrt(target / aspect));
      if (h >= 1 && w >= 1 && h < f.height() && w < f.width()) {
        int top = r.nextInt(f.height() - h + 1);
        int left = r.nextInt(f.width() - w + 1);
        erase(f, top, left, h, w, 0f);
        return;
      }
    }
  }
}
