package io.ibreid.core.observation;

/** Shape of one input image in NCHW order: channels × height × width. */
public record ImageShape(int channels, int height, int width) {
  public ImageShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + height + "x" + width);
    }
  }

  public static ImageShape rgb(int height, int width) {
    return new ImageShape(3, height, width);
  }

  public long[] batchShape(long n) {
    return new long[] {n, channels, height, width};
  }

  @Override
  public String toString() {
    return channels + "x" + height + "x" + width;
  }
}
