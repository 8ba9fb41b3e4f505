package io.ibreid.eval.run;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.EvaluationKey;
import io.ibreid.core.branch.InputTransform;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.View;
import io.ibreid.core.config.RunConfig;
import io.ibreid.data.ImageRecord;
import io.ibreid.eval.extract.ImageLoader;
import io.ibreid.eval.features.FeatureMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The test-time representation of an image: the outputs named by the run's {@code evaluation.visible} /
 * {@code evaluation.infrared} keys for the image's modality, each L2-normalised, then concatenated. A key is
 * {@code branch.output} (the branch fed its own input: under the release wiring the infrared branch sees the grayscale
 * copy) or {@code branch.output@raw} / {@code @gray} (the branch fed the image as loaded / its grayscale copy).
 * Without keys: the shared branch's {@code z}, preceded by the image's own modality branch's {@code z} when both
 * modality branches exist; with no shared branch, the modality branch's {@code z} (or the only branch's).
 *
 * <p>Several feature sets over the same model ({@link #extractAll}) share one extraction: each image is loaded once
 * per batch and each (branch, input transform) runs one forward pass for all the outputs any set needs.
 */
public final class ModelFeatures {
  /** One part of a feature: a branch output, with the input transform (null: the branch's own input). */
  public record Part(BranchRole branch, String output, InputTransform transform) {
    public Part(BranchRole branch, String output) {
      this(branch, output, null);
    }

    @Override
    public String toString() {
      return branch.label() + "." + output + (transform == null ? "" : "@" + transform.label());
    }
  }

  private final ReidModel model;
  private final ImageLoader loader;
  private final int batchSize;
  private final Map<View, List<Part>> parts = new EnumMap<>(View.class);
  private final int dim;

  /** The run's primary feature ({@code evaluation.visible} / {@code evaluation.infrared}). */
  public ModelFeatures(ReidModel model, RunConfig.Evaluation keys, ImageLoader loader, int batchSize) {
    this(model, keys.visible, keys.infrared, loader, batchSize, "evaluation");
  }

  /** A feature from explicit key lists; {@code configKey} (e.g. {@code evaluation.featureSets.x}) names them in errors. */
  public ModelFeatures(ReidModel model, List<String> visible, List<String> infrared, ImageLoader loader, int batchSize,
      String configKey) {
    if (batchSize < 1) {
      throw new IbreidException("batch size must be at least 1, got " + batchSize);
    }
    this.model = model;
    this.loader = loader;
    this.batchSize = batchSize;
    parts.put(View.VISIBLE, resolve(visible, View.VISIBLE, configKey + ".visible"));
    parts.put(View.INFRARED, resolve(infrared, View.INFRARED, configKey + ".infrared"));
    int v = width(parts.get(View.VISIBLE));
    int i = width(parts.get(View.INFRARED));
    if (v != i) {
      throw new IbreidException("config keys [" + configKey + ".visible] " + parts.get(View.VISIBLE) + " and ["
          + configKey + ".infrared] " + parts.get(View.INFRARED) + " give features of " + v + " and " + i
          + " columns; cross-modal matching needs equal sizes");
    }
    this.dim = v;
  }

  /** The primary feature followed by every named set of {@code evaluation.featureSets}, by name (primary: ""). */
  public static Map<String, ModelFeatures> sets(ReidModel model, RunConfig.Evaluation keys, ImageLoader loader,
      int batchSize) {
    Map<String, ModelFeatures> out = new LinkedHashMap<>();
    out.put("", new ModelFeatures(model, keys, loader, batchSize));
    if (keys.featureSets != null) {
      keys.featureSets.forEach((name, set) -> out.put(name, new ModelFeatures(model, set.visible, set.infrared,
          loader, batchSize, "evaluation.featureSets." + name)));
    }
    return out;
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
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      EvaluationKey k = EvaluationKey.parse(key, configKey + "." + i);
      if (model.outputIndex(k.branch(), k.output()) < 0) {
        throw new IbreidException("config key [" + configKey + "." + i + "] = [" + key + "]: no such output; outputs: "
            + model.outputs());
      }
      out.add(new Part(k.branch(), k.output(), k.transform()));
    }
    return out;
  }

  private int width(List<Part> ps) {
    return ps.stream().mapToInt(p -> model.outputWidths().get(p.branch().label() + "." + p.output())).sum();
  }

  public List<Part> parts(View view) {
    return parts.get(view);
  }

  public int dim() {
    return dim;
  }

  /** Features of images that all have modality {@code view}, one row per image. */
  public FeatureMatrix extract(List<Path> images, View view) {
    return assemble(images.size(), parts.get(view), partsOf(images, parts.get(view)));
  }

  /**
   * Features of a preprocessed input batch (N×3×H×W at the model's image shape) whose rows all have modality
   * {@code view}, one row per batch row.
   */
  public FeatureMatrix extract(INDArray batch, View view) {
    Map<Part, FeatureMatrix> raw = new LinkedHashMap<>();
    for (Part p : parts.get(view)) {
      raw.put(p, FeatureMatrix.allocate((int) batch.size(0), model.outputWidths().get(p.branch().label() + "."
          + p.output())));
    }
    forward(batch, 0, raw);
    return assemble((int) batch.size(0), parts.get(view), raw);
  }

  /** Features of mixed-modality records, row i for record i (each extracted with its modality's parts). */
  public FeatureMatrix extract(List<ImageRecord> records) {
    return extractAll(List.of(this), records).get(0);
  }

  /**
   * Features of mixed-modality records for several feature sets of the same model at once, in the order of
   * {@code sets}: every output any set needs is computed once per image, and each set is assembled from them.
   */
  public static List<FeatureMatrix> extractAll(List<ModelFeatures> sets, List<ImageRecord> records) {
    if (sets.isEmpty()) {
      return List.of();
    }
    ModelFeatures first = sets.get(0);
    for (ModelFeatures s : sets) {
      if (s.model != first.model) {
        throw new IllegalArgumentException("feature sets of different models cannot share an extraction");
      }
    }
    List<FeatureMatrix> out = new ArrayList<>();
    for (ModelFeatures s : sets) {
      out.add(FeatureMatrix.allocate(records.size(), s.dim));
    }
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
      Set<Part> needed = new LinkedHashSet<>();
      sets.forEach(s -> needed.addAll(s.parts.get(view)));
      Map<Part, FeatureMatrix> raw = first.partsOf(paths, new ArrayList<>(needed));
      for (int s = 0; s < sets.size(); s++) {
        ModelFeatures set = sets.get(s);
        FeatureMatrix f = assemble(paths.size(), set.parts.get(view), raw);
        float[] row = new float[set.dim];
        for (int k = 0; k < rows.size(); k++) {
          f.row(k, row);
          for (int c = 0; c < set.dim; c++) {
            out.get(s).set(rows.get(k), c, row[c]);
          }
        }
      }
    }
    return out;
  }

  /** The raw (un-normalised) output of every part for {@code images}, each image loaded once. */
  private Map<Part, FeatureMatrix> partsOf(List<Path> images, List<Part> wanted) {
    Map<Part, FeatureMatrix> raw = new LinkedHashMap<>();
    for (Part p : wanted) {
      raw.putIfAbsent(p, FeatureMatrix.allocate(images.size(), model.outputWidths().get(p.branch().label() + "."
          + p.output())));
    }
    for (int from = 0; from < images.size(); from += batchSize) {
      List<Path> chunk = images.subList(from, Math.min(images.size(), from + batchSize));
      INDArray batch;
      try {
        batch = loader.load(chunk, model.imageShape());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      forward(batch, from, raw);
    }
    return raw;
  }

  /** One inference per (branch, input transform) over {@code batch}; rows go to {@code raw} from row {@code at}. */
  private void forward(INDArray batch, int at, Map<Part, FeatureMatrix> raw) {
    Map<List<Object>, List<Part>> groups = new LinkedHashMap<>();
    for (Part p : raw.keySet()) {
      groups.computeIfAbsent(java.util.Arrays.asList(p.branch(), p.transform()), k -> new ArrayList<>()).add(p);
    }
    int n = (int) batch.size(0);
    for (List<Part> group : groups.values()) {
      Part head = group.get(0);
      List<String> outputs = group.stream().map(Part::output).distinct().toList();
      Map<String, INDArray> result = model.infer(head.branch(), batch, outputs, head.transform());
      for (Part p : group) {
        INDArray f = result.get(p.output()).castTo(DataType.FLOAT);
        FeatureMatrix target = raw.get(p);
        if (f.rank() != 2 || f.columns() != target.dim() || f.rows() != n) {
          throw new IllegalStateException("output " + p + " has shape " + java.util.Arrays.toString(f.shape()));
        }
        float[] flat = f.dup('c').data().asFloat();
        java.nio.FloatBuffer b = target.buffer();
        b.position(at * target.dim());
        b.put(flat, 0, n * target.dim());
      }
    }
  }

  /** Each part's output L2-normalised per row, the parts side by side. */
  private static FeatureMatrix assemble(int rows, List<Part> ps, Map<Part, FeatureMatrix> raw) {
    int dim = ps.stream().mapToInt(p -> raw.get(p).dim()).sum();
    FeatureMatrix out = FeatureMatrix.allocate(rows, dim);
    int offset = 0;
    for (Part part : ps) {
      FeatureMatrix f = raw.get(part);
      float[] row = new float[f.dim()];
      for (int r = 0; r < rows; r++) {
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
}
