package io.ibreid.data.image;

/**
 * An image as floats in CHW order (channel-major, then rows, then columns). Values are in [0, 1] before
 * normalisation. Mutable: transforms work in place where they can.
 */
public record FloatImage(int channels, int height, int width, float[] data) {
  public FloatImage {
    if (data.length != channels * height * width) {
      throw new IllegalArgumentException("data holds " + data.length + " floats, shape " + channels + "x" + height
          + "x" + width + " needs " + channels * height * width);
    }
  }

  public FloatImage(int channels, int height, int width) {
    this(channels, height, width, new float[channels * height * width]);
  }

  public float get(int c, int y, int x) {
    return data[(c * height + y) * width + x];
  }

  public void set(int c, int y, int x, float v) {
    data[(c * height + y) * width + x] = v;
  }

  public FloatImage copy() {
    return new FloatImage(channels, height, width, data.clone());
  }
}
