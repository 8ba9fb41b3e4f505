package io.ibreid.data.image;

import io.ibreid.core.observation.ImageShape;
import io.ibreid.data.ImageRecord;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads images for the network without augmentation (evaluation, feature extraction): decode with
 * {@code javax.imageio}, convert to RGB (grey and infrared images become three equal channels), resize to the
 * network's input with {@link Resize}, ImageNet-normalise ({@link Normalisation}), and stack into a float32 NCHW
 * {@link INDArray}. Thread-safe. A missing, empty, non-image or corrupt file fails with an
 * {@link io.ibreid.core.IbreidException} naming it.
 *
 * <p>Typical use in evaluation: {@code new ImageLoader(shape).batchOfRecords(records.subList(i, j), pool)} for
 * each chunk of the query or gallery list.
 */
public final class ImageLoader {
  private final ImageShape shape;

  public ImageLoader(ImageShape shape) {
    if (shape.channels() != 3) {
      throw new IllegalArgumentException("the loader produces RGB images (3 channels), asked for " + shape);
    }
    this.shape = shape;
  }

  public ImageShape shape() {
    return shape;
  }

  /** Decodes and resizes one image; values in [0, 1], not normalised. */
  public FloatImage decodeResized(Path p) {
    return Resize.resize(Pixels.toFloat(ImageFiles.decode(p)), shape.height(), shape.width());
  }

  /** One image, resized and normalised, as CHW floats. */
  public float[] load(Path p) {
    FloatImage f = decodeResized(p); // always a fresh array: normalising in place is safe
    Normalisation.apply(f);
    return f.data();
  }

  /** An image already in memory, converted, resized and normalised exactly as {@link #load(Path)} does a file. */
  public float[] load(BufferedImage image) {
    FloatImage f = Resize.resize(Pixels.toFloat(image), shape.height(), shape.width());
    Normalisation.apply(f);
    return f.data();
  }

  /** The images as one N×3×H×W float32 batch, decoded on the calling thread. */
  public INDArray batch(List<Path> paths) {
    return batch(paths, null);
  }

  /** The images as one N×3×H×W float32 batch, decoded on {@code pool} when given (order is kept). */
  public INDArray batch(List<Path> paths, ExecutorService pool) {
    int n = paths.size();
    int size = shape.channels() * shape.height() * shape.width();
    float[] all = new float[n * size];
    if (pool == null) {
      for (int i = 0; i < n; i++) {
        System.arraycopy(load(paths.get(i)), 0, all, i * size, size);
      }
    } else {
      List<Future<float[]>> futures = new ArrayList<>(n);
      for (Path p : paths) {
        futures.add(pool.submit(() -> load(p)));
      }
      for (int i = 0; i < n; i++) {
        System.arraycopy(get(futures.get(i)), 0, all, i * size, size);
      }
    }
    return Nd4j.create(all, shape.batchShape(n), 'c');
  }

  /** The records' images as one batch (see {@link #batch(List, ExecutorService)}). */
  public INDArray batchOfRecords(List<ImageRecord> records, ExecutorService pool) {
    return batch(records.stream().map(ImageRecord::path).toList(), pool);
  }

  private static float[] get(Future<float[]> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading images", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
