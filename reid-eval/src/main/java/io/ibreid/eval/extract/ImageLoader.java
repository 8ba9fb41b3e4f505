package io.ibreid.eval.extract;

import io.ibreid.core.observation.ImageShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns image files into a model input batch (NCHW, float32), preprocessed exactly as during training. A small
 * interface; {@link TrainingImageLoader} is the one matching training.
 */
@FunctionalInterface
public interface ImageLoader {
  INDArray load(List<Path> images, ImageShape shape) throws IOException;
}
