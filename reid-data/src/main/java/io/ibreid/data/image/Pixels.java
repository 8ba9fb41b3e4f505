package io.ibreid.data.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Conversions between {@link BufferedImage} and {@link FloatImage} (RGB, values in [0, 1]). */
public final class Pixels {
  private Pixels() {}

  /** The image as three RGB channels in [0, 1]; grey images give three equal channels. */
  public static FloatImage toFloat(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    FloatImage out = new FloatImage(3, h, w);
    float[] d = out.data();
    int plane = h * w;
    final float s = 1f / 255f;
    int type = image.getType();
    if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_BYTE_GRAY)
        && image.getRaster().getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
        && image.getRaster().getParent() == null) {
      byte[] b = db.getData();
      if (type == BufferedImage.TYPE_3BYTE_BGR && b.length == 3 * plane) {
        for (int i = 0; i < plane; i++) {
          d[i] = (b[3 * i + 2] & 0xFF) * s;
          d[plane + i] = (b[3 * i + 1] & 0xFF) * s;
          d[2 * plane + i] = (b[3 * i] & 0xFF) * s;
        }
        return out;
      }
      if (type == BufferedImage.TYPE_BYTE_GRAY && b.length == plane) {
        for (int i = 0; i < plane; i++) {
          float v = (b[i] & 0xFF) * s;
          d[i] = v;
          d[plane + i] = v;
          d[2 * plane + i] = v;
        }
        return out;
      }
    }
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int rgb = row[x];
        int i = y * w + x;
        d[i] = ((rgb >> 16) & 0xFF) * s;
        d[plane + i] = ((rgb >> 8) & 0xFF) * s;
        d[2 * plane + i] = (rgb & 0xFF) * s;
      }
    }
    return out;
  }

  /** An 8-bit RGB image (TYPE_3BYTE_BGR) of a three-channel image in [0, 1]; values are clamped and rounded. */
  public static BufferedImage toImage(FloatImage f) {
    if (f.channels() != 3) {
      throw new IllegalArgumentException("need 3 channels, got " + f.channels());
    }
    int w = f.width();
    int h = f.height();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    byte[] b = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    float[] d = f.data();
    int plane = h * w;
    for (int i = 0; i < plane; i++) {
      b[3 * i + 2] = (byte) toByte(d[i]);
      b[3 * i + 1] = (byte) toByte(d[plane + i]);
      b[3 * i] = (byte) toByte(d[2 * plane + i]);
    }
    return out;
  }

  static int toByte(float v) {
    int q = Math.round(v * 255f);
    return q < 0 ? 0 : Math.min(q, 255);
  }
}
