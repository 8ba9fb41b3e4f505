package io.ibreid.eval.extract;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.eval.features.FeatureMatrix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a trained {@link ReidModel} in inference mode over image files, batch by batch, and collects one branch
 * output (e.g. the shared branch's observation {@code v} or representation {@code z}) as a feature matrix whose row
 * i belongs to image i. Inference is independent of the batch size (BatchNorm uses its running statistics).
 */
public final class FeatureExtractor {
  private final ReidModel model;
  private final ImageLoader loader;
  private final int batchSize;

  public FeatureExtractor(ReidModel model, ImageLoader loader, int batchSize) {
    if (batchSize < 1) {
      throw new IbreidException("batch size must be at least 1, got " + batchSize);
    }
    this.model = model;
    this.loader = loader;
    this.batchSize = batchSize;
  }

  /** Features of {@code images} from output {@code output} (v, z, ...) of branch {@code branch}. */
  public FeatureMatrix extract(List<Path> images, BranchRole branch, String output) throws IOException {
    if (model.outputIndex(branch, output) < 0) {
      throw new IbreidException("the model has no output [" + branch.label() + "." + output + "]; outputs: "
          + model.outputs());
    }
    int dim = model.outputWidths().get(branch.label() + "." + output);
    FeatureMatrix out = FeatureMatrix.allocate(images.size(), dim);
    for (int from = 0; from < images.size(); from += batchSize) {
      List<Path> part = images.subList(from, Math.min(images.size(), from + batchSize));
      INDArray batch = loader.load(part, model.imageShape());
      INDArray f = model.infer(branch, batch, List.of(output)).get(output).castTo(DataType.FLOAT);
      if (f.rank() != 2 || f.columns() != dim) {
        throw new IllegalStateException("output " + output + " has shape " + java.util.Arrays.toString(f.shape()));
      }
      float[] flat = f.dup('c').data().asFloat();
      java.nio.FloatBuffer b = out.buffer();
      b.position(from * dim);
      b.put(flat, 0, part.size() * dim);
    }
    return out;
  }

  /**
   * Features of one input batch already preprocessed as training did (N×3×H×W at the model's image shape), e.g.
   * decoded images held in memory; row i belongs to batch row i.
   */
  public FeatureMatrix extract(INDArray batch, BranchRole branch, String output) {
    if (model.outputIndex(branch, output) < 0) {
      throw new IbreidException("the model has no output [" + branch.label() + "." + output + "]; outputs: "
          + model.outputs());
    }
    int dim = model.outputWidths().get(branch.label() + "." + output);
    int rows = (int) batch.size(0);
    FeatureMatrix out = FeatureMatrix.allocate(rows, dim);
    INDArray f = model.infer(branch, batch, List.of(output)).get(output).castTo(DataType.FLOAT);
    float[] flat = f.dup('c').data().asFloat();
    out.buffer().position(0);
    out.buffer().put(flat, 0, rows * dim);
    return out;
  }
}
