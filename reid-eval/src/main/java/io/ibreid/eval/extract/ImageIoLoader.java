package io.ibreid.eval.extract;

import io.ibreid.core.IbreidException;
import io.ibreid.core.observation.ImageShape;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A minimal {@link ImageLoader} on {@code javax.imageio} (JPG, PNG, BMP): bilinear resize to the model's size, RGB
 * channels (one channel: luminance 0.299 R + 0.587 G + 0.114 B), scaled to [0, 1], then {@code (x - mean[c]) / std[c]}.
 * The preprocessing must be the one the model was trained with.
 */
public final class ImageIoLoader implements ImageLoader {
  private final float[] mean;
  private final float[] std;

  public ImageIoLoader(float[] mean, float[] std) {
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException("mean and std need the same, non-zero length");
    }
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /** ImageNet statistics (mean 0.485 0.456 0.406, std 0.229 0.224 0.225). */
  public static ImageIoLoader imagenet() {
    return new ImageIoLoader(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
  }

  /** No normalisation: values in [0, 1]. */
  public static ImageIoLoader unitRange() {
    return new ImageIoLoader(new float[] {0f}, new float[] {1f});
  }

  @Override
  public INDArray load(List<Path> images, ImageShape shape) throws IOException {
    int c = shape.channels();
    int h = shape.height();
    int w = shape.width();
    float[] data = new float[images.size() * c * h * w];
    for (int n = 0; n < images.size(); n++) {
      Path p = images.get(n);
      if (!Files.isRegularFile(p)) {
        throw new IbreidException("image " + p + " does not exist");
      }
      BufferedImage src = ImageIO.read(p.toFile());
      if (src == null) {
        throw new IbreidException("image " + p + " is not in a format javax.imageio reads (JPG, PNG, BMP)");
      }
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(src, 0, 0, w, h, null);
      g.dispose();
      int base = n * c * h * w;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = img.getRGB(x, y);
          float r = ((rgb >> 16) & 0xff) / 255f;
          float gr = ((rgb >> 8) & 0xff) / 255f;
          float b = (rgb & 0xff) / 255f;
          if (c == 1) {
            data[base + y * w + x] = norm(0.299f * r + 0.587f * gr + 0.114f * b, 0);
          } else {
            float[] v = {r, gr, b};
            for (int k = 0; k < c; k++) {
              data[base + (k * h + y) * w + x] = norm(v[Math.min(k, 2)], k);
            }
          }
        }
      }
    }
    return Nd4j.create(data, new long[] {images.size(), c, h, w}, 'c').castTo(DataType.FLOAT);
  }

  private float norm(float v, int channel) {
    int i = Math.min(channel, mean.length - 1);
    return (v - mean[i]) / std[i];
  }
}
