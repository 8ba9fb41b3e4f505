package io.ibreid.weights;

import io.ibreid.core.IbreidException;
import io.ibreid.weights.pth.PthReader;
import io.ibreid.weights.safetensors.SafetensorsReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of one weights file by name, in the file's order: PyTorch's {@code state_dict()} as
 * {@code torch.save} wrote it, or a safetensors file. A checkpoint that nests state dicts in a dictionary
 * ({@code {'net': state_dict, 'epoch': 80}}) is flattened: its tensors are named by their path joined with dots
 * ({@code net.conv1.weight}), and its other values (numbers, strings, arrays) are listed in {@link #skipped()}.
 */
public final class StateDict {
  private final Path source;
  private final WeightsFormat format;
  private final Map<String, Tensor> tensors;
  private final List<String> skipped;

  /**
   * @param tensors the tensors in file order (copied)
   * @param skipped the names of the file's values that are not tensors
   */
  public StateDict(Path source, WeightsFormat format, Map<String, Tensor> tensors, List<String> skipped) {
    this.source = source;
    this.format = format;
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.skipped = List.copyOf(skipped);
  }

  /**
   * Reads a .pth (either of PyTorch's formats) or .safetensors file, recognised by its content. Nothing in the
   * file is executed: a pickle may name only the classes and functions a state dict needs.
   *
   * @throws IbreidException with one line naming the file when it is not a readable weights file, names
   *     anything else, is truncated, or holds a tensor its storage cannot hold
   */
  public static StateDict read(Path file) {
    WeightsFormat format = WeightsFormat.detect(file);
    return switch (format) {
      case PTH_ZIP, PTH_LEGACY -> PthReader.read(file, format);
      case SAFETENSORS -> SafetensorsReader.read(file);
    };
  }

  /** The file it was read from. */
  public Path source() {
    return source;
  }

  public WeightsFormat format() {
    return format;
  }

  /** Name to tensor, in the file's order (unmodifiable). */
  public Map<String, Tensor> tensors() {
    return tensors;
  }

  public Set<String> keys() {
    return tensors.keySet();
  }

  /** The tensor of that name, or null. */
  public Tensor get(String key) {
    return tensors.get(key);
  }

  public int size() {
    return tensors.size();
  }

  /** The names of the file's values that are not tensors (a checkpoint's epoch, metrics...), in file order. */
  public List<String> skipped() {
    return skipped;
  }

  /** The total element count of its tensors. */
  public long elementCount() {
    long n = 0;
    for (Tensor t : tensors.values()) {
      n += t.numel();
    }
    return n;
  }

  /** The names whose tensors differ from the other's (by dtype, shape or bits), and names only one of them has. */
  public List<String> differences(StateDict other) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor o = other.get(e.getKey());
      if (o == null || !o.bitwiseEquals(e.getValue())) {
        out.add(e.getKey());
      }
    }
    for (String k : other.keys()) {
      if (!tensors.containsKey(k)) {
        out.add(k);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return source + " (" + format.title() + ", " + tensors.size() + " tensors)";
  }
}
