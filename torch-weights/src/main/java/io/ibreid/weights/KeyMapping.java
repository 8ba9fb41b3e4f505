package io.ibreid.weights;

import io.ibreid.core.IbreidException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A state dict's tensors matched to the keys and shapes a model expects, like PyTorch's {@code load_state_dict}:
 * which model keys were found (under the {@link Prefix}), which are missing, which file keys are unused, and which
 * found tensors have another shape. The match never looks at shapes to find a key: torchvision's ResNet and a
 * Keras-style one hold same-shaped tensors that compute different functions.
 *
 * <p>{@code num_batches_tracked} buffers the model does not expect are ignored (counted, not listed as unused):
 * they only matter to a batch norm without momentum, and torchvision's 2017 files do not have them.
 */
public final class KeyMapping {
  /** A key found with another shape than the model's. */
  public record Mismatch(String modelKey, String fileKey, long[] fileShape, long[] modelShape) {
    @Override
    public String toString() {
      return (fileKey.equals(modelKey) ? modelKey : fileKey + " (model key " + modelKey + ")") + " has shape "
          + Tensor.shapeString(fileShape) + " in the file, " + Tensor.shapeString(modelShape) + " in the model";
    }
  }

  private static final String BATCHES = "num_batches_tracked";
  private static final int LISTED = 8;

  private final StateDict file;
  private final String prefix;
  private final Map<String, Tensor> found = new LinkedHashMap<>();
  private final List<String> missing = new ArrayList<>();
  private final List<Mismatch> mismatches = new ArrayList<>();
  private final List<String> unused = new ArrayList<>();
  private int ignoredBatches;

  private KeyMapping(StateDict file, Map<String, long[]> expected, String prefix) {
    this.file = file;
    this.prefix = prefix;
    Map<String, String> used = new HashMap<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      String fileKey = prefix + e.getKey();
      Tensor t = file.get(fileKey);
      if (t == null) {
        missing.add(e.getKey());
        continue;
      }
      used.put(fileKey, e.getKey());
      if (!Arrays.equals(t.shape(), e.getValue())) {
        mismatches.add(new Mismatch(e.getKey(), fileKey, t.shape(), e.getValue().clone()));
      } else {
        found.put(e.getKey(), t);
      }
    }
    for (String k : file.keys()) {
      if (!used.containsKey(k)) {
        if (k.equals(prefix + BATCHES) || (k.startsWith(prefix) && k.endsWith("." + BATCHES))) {
          ignoredBatches++;
        } else {
          unused.add(k);
        }
      }
    }
  }

  /**
   * Matches a file's tensors to a model's keys.
   *
   * @param expected the model's keys and shapes, in the model's order
   * @throws IbreidException (one line) when an automatic prefix is ambiguous: several prefixes hold the same,
   *     largest number of the model's keys (a checkpoint of several branches); the line names them
   */
  public static KeyMapping of(StateDict file, Map<String, long[]> expected, Prefix prefix) {
    return new KeyMapping(file, expected, prefix.isAuto() ? findPrefix(file, expected) : prefix.value());
  }

  /**
   * The prefix under which most of the model's keys exist in the file: every file key is split at each dot, and
   * the part before counts for the prefix when the part after is a model key. Ties between prefixes with the
   * most keys are an error; {@code ""} when no key matches anywhere.
   */
  static String findPrefix(StateDict file, Map<String, long[]> expected) {
    Map<String, Integer> counts = new HashMap<>();
    for (String k : file.keys()) {
      if (expected.containsKey(k)) {
        counts.merge("", 1, Integer::sum);
      }
      for (int i = k.indexOf('.'); i >= 0; i = k.indexOf('.', i + 1)) {
        if (expected.containsKey(k.substring(i + 1))) {
          counts.merge(k.substring(0, i + 1), 1, Integer::sum);
        }
      }
    }
    int best = counts.values().stream().max(Integer::compare).orElse(0);
    if (best == 0) {
      return "";
    }
    List<String> top = new ArrayList<>();
    counts.forEach((p, n) -> {
      if (n == best) {
        top.add(p);
      }
    });
    Collections.sort(top);
    if (top.size() > 1) {
      List<String> quoted = new ArrayList<>();
      top.forEach(p -> quoted.add(p.isEmpty() ? "none" : "'" + p + "'"));
      throw new IbreidException(file.source() + ": prefix is ambiguous: " + String.join(", ", quoted)
          + " each hold " + best + " of the model's " + expected.size() + " keys; choose one (prefix: ...)");
    }
    return top.get(0);
  }

  /** The file. */
  public StateDict file() {
    return file;
  }

  /** The prefix in use ({@code ""} for none), found or given. */
  public String prefix() {
    return prefix;
  }

  /** Model keys found with the model's shape, in the model's order. */
  public Map<String, Tensor> found() {
    return Collections.unmodifiableMap(found);
  }

  /** Model keys the file does not hold (under the prefix), in the model's order. */
  public List<String> missing() {
    return Collections.unmodifiableList(missing);
  }

  /** File keys no model key maps to (ignored num_batches_tracked buffers excepted), in file order. */
  public List<String> unused() {
    return Collections.unmodifiableList(unused);
  }

  /** Keys found with another shape than the model's. */
  public List<Mismatch> mismatches() {
    return Collections.unmodifiableList(mismatches);
  }

  /**
   * The found tensors by model key, for a load that may leave keys missing (a backbone without its classifier,
   * say); the caller decides what a missing key means.
   *
   * @throws IbreidException (one line naming the key, both shapes and the file) on a shape mismatch, and when
   *     not one model key is in the file
   */
  public Map<String, Tensor> tensors() {
    if (!mismatches.isEmpty()) {
      int more = mismatches.size() - 1;
      throw new IbreidException(file.source() + ": " + mismatches.get(0)
          + (more > 0 ? " (and " + more + " more shape mismatches: weights of another architecture?)" : ""));
    }
    if (found.isEmpty() && !missing.isEmpty()) {
      throw new IbreidException(file.source() + ": none of the model's " + missing.size() + " keys ("
          + list(missing, 3) + ") is in the file" + (prefix.isEmpty() ? "" : " under prefix '" + prefix + "'")
          + "; its keys: " + list(new ArrayList<>(file.keys()), 3));
    }
    return found();
  }

  /**
   * The tensors of every model key.
   *
   * @throws IbreidException as {@link #tensors()}, and (one line, naming the missing keys) when any is missing
   */
  public Map<String, Tensor> requireAll() {
    Map<String, Tensor> t = tensors();
    if (!missing.isEmpty()) {
      throw new IbreidException(file.source() + ": " + missing.size() + " of the model's " + (found.size()
          + missing.size()) + " keys are missing" + (prefix.isEmpty() ? "" : " under prefix '" + prefix + "'")
          + ": " + list(missing, LISTED));
    }
    return t;
  }

  /**
   * {@link #requireAll()}, then the file's tensors of {@code layout}'s other keys that the file holds under the
   * prefix (a batch norm's {@code num_batches_tracked}, a classifier), all in {@code layout}'s order: the tensors of
   * a full state dict such as {@code torchvision.models.resnet50().state_dict()}, with exactly the layout keys the
   * file has. A layout key the file lacks is left out (never invented); file keys outside the layout are left out.
   *
   * @param layout the full state dict's keys and shapes; it holds every model key
   * @throws IbreidException as {@link #requireAll()}, and (one line naming the key, both shapes and the file) when
   *     a tensor of {@code layout}'s other keys has another shape
   */
  public Map<String, Tensor> requireAll(Map<String, long[]> layout) {
    Map<String, Tensor> model = requireAll();
    Map<String, Tensor> all = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : layout.entrySet()) {
      Tensor t = model.get(e.getKey());
      if (t == null) {
        t = file.get(prefix + e.getKey());
        if (t == null) {
          continue;
        }
        if (!Arrays.equals(t.shape(), e.getValue())) {
          throw new IbreidException(file.source() + ": " + new Mismatch(e.getKey(), prefix + e.getKey(), t.shape(),
              e.getValue().clone()));
        }
      }
      all.put(e.getKey(), t);
    }
    if (all.size() < model.size()) {
      List<String> absent = new ArrayList<>(model.keySet());
      absent.removeAll(all.keySet());
      throw new IllegalArgumentException("layout lacks model keys " + list(absent, 3));
    }
    return all;
  }

  /**
   * One line like PyTorch's load report: {@code loaded 320 tensors; unused: fc.weight, fc.bias; missing: none},
   * then the shape mismatches and ignored buffers if any; long lists end with the count of the rest.
   */
  public String report() {
    StringBuilder b = new StringBuilder();
    b.append(file.source().getFileName()).append(" (").append(file.format().title()).append(", prefix ")
        .append(prefix.isEmpty() ? "none" : "'" + prefix + "'").append("): loaded ").append(found.size())
        .append(found.size() == 1 ? " tensor" : " tensors").append("; unused: ").append(list(unused, LISTED))
        .append("; missing: ").append(list(missing, LISTED));
    if (!mismatches.isEmpty()) {
      List<String> m = new ArrayList<>();
      mismatches.forEach(x -> m.add(x.toString()));
      b.append("; shape mismatches: ").append(list(m, 2));
    }
    if (ignoredBatches > 0) {
      b.append("; ignored: ").append(ignoredBatches).append(' ').append(BATCHES);
    }
    return b.toString();
  }

  static String list(List<String> items, int max) {
    if (items.isEmpty()) {
      return "none";
    }
    String head = String.join(", ", items.subList(0, Math.min(max, items.size())));
    return items.size() > max ? head + ", ... (+" + (items.size() - max) + " more)" : head;
  }
}
