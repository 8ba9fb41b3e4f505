package io.ibreid.weights;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a weights file holds, as lines of text for a command to print: the format, tensor and element counts by
 * dtype, then every key with its dtype and shape; or, against a model's expected keys, how each maps (found under
 * which file key, missing, or of another shape) and which file keys are unused.
 */
public final class StateDictSummary {
  private StateDictSummary() {}

  /** The file's header line and one line per tensor: key, dtype, shape. */
  public static List<String> of(StateDict sd) {
    List<String> lines = new ArrayList<>();
    lines.add(header(sd));
    int width = width(sd.keys());
    for (Map.Entry<String, Tensor> e : sd.tensors().entrySet()) {
      lines.add("  " + pad(e.getKey(), width) + "  " + pad(e.getValue().dtype().torchName(), 8) + "  "
          + Tensor.shapeString(e.getValue().shape()));
    }
    return lines;
  }

  /**
   * The header line, the mapping's report line, one line per model key ({@code key  <- file key  dtype shape},
   * {@code missing}, or both shapes), then one line per unused file key.
   */
  public static List<String> of(KeyMapping mapping, Map<String, long[]> expected) {
    StateDict sd = mapping.file();
    List<String> lines = new ArrayList<>();
    lines.add(header(sd));
    lines.add(mapping.report());
    int width = width(expected.keySet());
    Map<String, KeyMapping.Mismatch> mismatched = new java.util.HashMap<>();
    mapping.mismatches().forEach(m -> mismatched.put(m.modelKey(), m));
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      String key = e.getKey();
      Tensor t = mapping.found().get(key);
      KeyMapping.Mismatch m = mismatched.get(key);
      String line;
      if (t != null) {
        line = "<- " + mapping.prefix() + key + "  " + t.dtype().torchName() + " " + Tensor.shapeString(t.shape());
      } else if (m != null) {
        line = "SHAPE " + Tensor.shapeString(m.fileShape()) + " in the file (" + m.fileKey() + "), "
            + Tensor.shapeString(m.modelShape()) + " in the model";
      } else {
        line = "MISSING (" + mapping.prefix() + key + ")";
      }
      lines.add("  " + pad(key, width) + "  " + line);
    }
    for (String k : mapping.unused()) {
      Tensor t = sd.get(k);
      lines.add("  unused " + k + "  " + t.dtype().torchName() + " " + Tensor.shapeString(t.shape()));
    }
    return lines;
  }

  /** {@code FILE: PyTorch zip, 321 tensors, 25,557,032 elements (float32 x 267, int64 x 54); skipped: epoch}. */
  static String header(StateDict sd) {
    Map<DType, Integer> byType = new EnumMap<>(DType.class);
    sd.tensors().values().forEach(t -> byType.merge(t.dtype(), 1, Integer::sum));
    List<String> types = new ArrayList<>();
    byType.forEach((t, n) -> types.add(t.torchName() + " x " + n));
    return sd.source() + ": " + sd.format().title() + ", " + sd.size() + " tensors, "
        + NumberFormat.getIntegerInstance(Locale.ROOT).format(sd.elementCount()) + " elements ("
        + String.join(", ", types) + ")" + (sd.skipped().isEmpty() ? ""
        : "; skipped (not tensors): " + KeyMapping.list(sd.skipped(), 8));
  }

  private static int width(Iterable<String> keys) {
    int w = 0;
    for (String k : keys) {
      w = Math.max(w, k.length());
    }
    return Math.min(w, 60);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
