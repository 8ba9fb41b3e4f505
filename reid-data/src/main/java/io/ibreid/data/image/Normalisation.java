package io.ibreid.data.image;

/**
 * ImageNet normalisation: each RGB channel in [0, 1] becomes {@code (v - mean[c]) / std[c]} with the ImageNet
 * statistics every ImageNet-pretrained encoder expects.
 */
public final class Normalisation {
  public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  public static final float[] STD = {0.229f, 0.224f, 0.225f};

  private Normalisation() {}

  /** Normalises a three-channel image in place. */
  public static void apply(FloatImage f) {
    if (f.channels() != 3) {
      throw new IllegalArgumentException("ImageNet normalisation needs 3 channels, got " + f.channels());
    }
    int plane = f.height() * f.width();
    float[] d = f.data();
    for (int c = 0; c < 3; c++) {
      float m = MEAN[c];
      float inv = 1f / STD[c];
      for (int i = c * plane, end = (c + 1) * plane; i < end; i++) {
        d[i] = (d[i] - m) * inv;
      }
    }
  }

  /** The normalised value of a pixel value {@code v} in channel {@code c}. */
  public static float of(int c, float v) {
    return (v - MEAN[c]) / STD[c];
  }
}
