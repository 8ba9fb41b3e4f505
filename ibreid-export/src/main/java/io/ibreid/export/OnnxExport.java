package io.ibreid.export;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.InputTransform;
import io.ibreid.core.branch.View;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.data.image.Normalisation;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.run.ModelFeatures;
import io.ibreid.export.onnx.FeatureGraph;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trained run's test-time feature function as an ONNX model: input {@code image} (N×3×H×W float32, RGB, resized
 * to the run's input size and ImageNet-normalised as ibreid's loader does), one output per exported modality,
 * {@code feature_visible} / {@code feature_infrared} (N×D): the parts named by the run's {@code evaluation} keys,
 * each L2-normalised, side by side, exactly as {@code Embedder.embed} and {@code ibreid eval} compute them (and, on
 * request, the concatenation L2-normalised as a whole). The input size, the normalisation constants, the resize, the
 * feature parts, the run's name, checkpoint and {@link RunFingerprint fingerprint} are in the model's metadata.
 */
public final class OnnxExport {
  /** What to export: the modalities (one output each) and whether to L2-normalise the whole feature at the end. */
  public record Options(List<View> views, boolean normaliseWhole) {
    public Options {
      if (views == null || views.isEmpty()) {
        throw new IbreidException("an export needs at least one modality (visible, infrared)");
      }
      views = List.copyOf(new java.util.LinkedHashSet<>(views));
    }

    /** Both modalities, the feature exactly as {@code embed} returns it. */
    public static Options defaults() {
      return new Options(List.of(View.VISIBLE, View.INFRARED), false);
    }
  }

  /** What was written. */
  public record Result(Path file, long bytes, int dimension, Map<String, String> metadata,
      Map<String, Integer> operators) {}

  private OnnxExport() {}

  /** The output's name for a modality: {@code feature_visible} or {@code feature_infrared}. */
  public static String outputName(View v) {
    return "feature_" + v.name().toLowerCase(Locale.ROOT);
  }

  /** Writes the run's feature function to {@code out} (atomically: a failed export leaves nothing there). */
  public static Result write(TrainedRun run, Path out, Options options) {
    ModelFeatures features = new ModelFeatures(run.model(), run.config().evaluation, new TrainingImageLoader(), 1);
    ImageShape shape = run.model().imageShape();
    FeatureGraph fg = new FeatureGraph(run.model(), "ibreid_" + sanitise(run.config().name));
    for (View v : options.views()) {
      List<FeatureGraph.Part> parts = new ArrayList<>();
      for (ModelFeatures.Part p : features.parts(v)) {
        InputTransform t = p.transform() == null ? run.model().wiring().inputOf(p.branch()) : p.transform();
        parts.add(new FeatureGraph.Part(p.branch(), p.output(), t));
      }
      fg.feature(outputName(v), parts, features.dim(), options.normaliseWhole());
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("ibreid.input.name", FeatureGraph.INPUT);
    meta.put("ibreid.input.shape", "N,3," + shape.height() + "," + shape.width());
    meta.put("ibreid.input.height", Integer.toString(shape.height()));
    meta.put("ibreid.input.width", Integer.toString(shape.width()));
    meta.put("ibreid.input.channels", "RGB");
    meta.put("ibreid.input.scale", "pixel/255");
    meta.put("ibreid.input.resize", "separable linear (triangle filter widened when shrinking, as PIL's bilinear)");
    meta.put("ibreid.input.mean", floats(Normalisation.MEAN));
    meta.put("ibreid.input.std", floats(Normalisation.STD));
    for (View v : options.views()) {
      meta.put("ibreid.feature." + v.name().toLowerCase(Locale.ROOT),
          String.join(",", features.parts(v).stream().map(Object::toString).toList()));
    }
    meta.put("ibreid.feature.dimension", Integer.toString(features.dim()));
    meta.put("ibreid.feature.normalisation", options.normaliseWhole() ? "each part L2, then the whole L2"
        : "each part L2");
    meta.put("ibreid.run.name", String.valueOf(run.config().name));
    meta.put("ibreid.run.checkpoint", run.checkpoint().getFileName().toString());
    meta.put("ibreid.run.fingerprint", RunFingerprint.of(run, features));
    meta.forEach(fg.onnx()::metadata);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      fg.onnx().write(bytes, version(), "ibreid test-time feature of run " + run.config().name + " ("
          + run.checkpoint().getFileName() + ")");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    try {
      if (Files.isDirectory(out)) {
        throw new IbreidException("cannot write " + out + ": it is a directory; expected a file name such as "
            + "model.onnx");
      }
      AtomicFiles.write(out, bytes.toByteArray());
    } catch (IOException e) {
      throw AtomicFiles.failure(out, e);
    }
    return new Result(out, bytes.size(), features.dim(), meta, fg.onnx().operatorCounts());
  }

  private static String sanitise(String s) {
    return s == null ? "run" : s.replaceAll("[^A-Za-z0-9_]", "_");
  }

  private static String floats(float[] f) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < f.length; i++) {
      b.append(i == 0 ? "" : ",").append(f[i]);
    }
    return b.toString();
  }

  static String version() {
    String v = OnnxExport.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
