package io.ibreid.eval.extract;

import io.ibreid.core.observation.ImageShape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@link ImageLoader} with exactly the preprocessing training used: reid-data's decoder, linear resize and
 * ImageNet normalisation ({@link io.ibreid.data.image.ImageLoader}), without augmentation.
 */
public final class TrainingImageLoader implements ImageLoader {
  private final Map<ImageShape, io.ibreid.data.image.ImageLoader> loaders = new ConcurrentHashMap<>();

  @Override
  public INDArray load(List<Path> images, ImageShape shape) {
    return loaders.computeIfAbsent(shape, io.ibreid.data.image.ImageLoader::new).batch(images);
  }
}
