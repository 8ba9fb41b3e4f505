package io.ibreid.eval.run;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.View;
import io.ibreid.core.config.RunConfig;
import io.ibreid.data.ImageRecord;
import io.ibreid.eval.extract.FeatureExtractor;
import io.ibreid.eval.extract.ImageLoader;
import io.ibreid.eval.features.FeatureMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The test-time representation of an image: the outputs named by the run's {@code evaluation.visible} /
 * {@code evaluation.infrared} keys ({@code branch.output}) for the image's modality, each L2-normalised, then
 * concatenated. Without keys: the shared branch's {@code z}, preceded by the image's own modality branch's {@code z}
 * when both modality branches exist; with no shared branch, the modality branch's {@code z} (or the only branch's).
 */
public final class ModelFeatures {
  /** One part of a feature: a branch output. */
  public record Part(BranchRole branch, String output) {
    @Override
    public String toString() {
      return branch.label() + "." + output;
    }
  }

  private final ReidModel model;
  private final FeatureExtractor extractor;
  private final Map<View, List<Part>> parts = new EnumMap<>(View.class);
  private final int dim;

  public ModelFeatures(ReidModel model, RunConfig.Evaluation keys, ImageLoader loader, int batchSize) {
    this.model = model;
    this.extractor = new FeatureExtractor(model, loader, batchSize);
    parts.put(View.VISIBLE, resolve(keys.visible, View.VISIBLE, "evaluation.visible"));
    parts.put(View.INFRARED, resolve(keys.infrared, View.INFRARED, "evaluation.infrared"));
    int v = width(parts.get(View.VISIBLE));
    int i = width(parts.get(View.INFRARED));
    if (v != i) {
      throw new IbreidException("config keys [evaluation.visible] " + parts.get(View.VISIBLE) + " and "
          + "[evaluation.infrared] " + parts.get(View.INFRARED) + " give features of " + v + " and " + i
          + " columns; cross-modal matching needs equal sizes");
    }
    this.dim = v;
  }

  private List<Part> resolve(List<String> keys, View view, String configKey) {
    List<Part> out = new ArrayList<>();
    if (keys == null || keys.isEmpty()) {
      boolean both = model.has(BranchRole.VISIBLE) && model.has(BranchRole.INFRARED);
      BranchRole own = view == View.VISIBLE ? BranchRole.VISIBLE : BranchRole.INFRARED;
      if (model.has(BranchRole.SHARED)) {
        if (both) {
          out.add(new Part(own, "z"));
        }
        out.add(new Part(BranchRole.SHARED, "z"));
      } else if (model.has(own)) {
        out.add(new Part(own, "z"));
      } else {
        out.add(new Part(model.branches().get(0).role(), "z"));
      }
      return out;
    }
    for (String key : keys) {
      String[] p = key.split("\\.");
      if (p.length != 2) {
        throw new IbreidException("config key [" + configKey + "] entry [" + key + "] must be branch.output, e.g. "
            + "shared.z");
      }
      BranchRole role = BranchRole.parse(p[0], configKey);
      if (model.outputIndex(role, p[1]) < 0) {
        throw new IbreidException("config key [" + configKey + "] entry [" + key + "]: no such output; outputs: "
            + model.outputs());
      }
      out.add(new Part(role, p[1]));
    }
    return out;
  }

  private int width(List<Part> ps) {
    return ps.stream().mapToInt(p -> model.outputWidths().get(p.toString())).sum();
  }

  public List<Part> parts(View view) {
    return parts.get(view);
  }

  public int dim() {
    return dim;
  }

  /** Features of images that all have modality {@code view}, one row per image. */
  public FeatureMatrix extract(List<Path> images, View view) {
    return assemble(images.size(), view, part -> {
      try {
        return extractor.extract(images, part.branch(), part.output());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Features of a preprocessed input batch (N×3×H×W at the model's image shape) whose rows all have modality
   * {@code view}, one row per batch row.
   */
  public FeatureMatrix extract(INDArray batch, View view) {
    return assemble((int) batch.size(0), view, part -> extractor.extract(batch, part.branch(), part.output()));
  }

  /** Each part's output L2-normalised per row, the parts side by side. */
  private FeatureMatrix assemble(int rows, View view, java.util.function.Function<Part, FeatureMatrix> partFeatures) {
    FeatureMatrix out = FeatureMatrix.allocate(rows, dim);
    int offset = 0;
    for (Part part : parts.get(view)) {
      FeatureMatrix f = partFeatures.apply(part);
      float[] row = new float[f.dim()];
      for (int r = 0; r < f.rows(); r++) {
        f.row(r, row);
        double norm = 0;
        for (float x : row) {
          norm += (double) x * x;
        }
        float scale = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
        for (int c = 0; c < row.length; c++) {
          out.set(r, offset + c, row[c] * scale);
        }
      }
      offset += f.dim();
    }
    return out;
  }

  /** Features of mixed-modality records, row i for record i (each extracted with its modality's parts). */
  public FeatureMatrix extract(List<ImageRecord> records) {
    FeatureMatrix out = FeatureMatrix.allocate(records.size(), dim);
    for (View view : View.values()) {
      List<Integer> rows = new ArrayList<>();
      List<Path> paths = new ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        if (records.get(i).modality() == view) {
          rows.add(i);
          paths.add(records.get(i).path());
        }
      }
      if (rows.isEmpty()) {
        continue;
      }
      FeatureMatrix f = extract(paths, view);
      float[] row = new float[dim];
      for (int k = 0; k < rows.size(); k++) {
        f.row(k, row);
        for (int c = 0; c < dim; c++) {
          out.set(rows.get(k), c, row[c]);
        }
      }
    }
    return out;
  }
}
