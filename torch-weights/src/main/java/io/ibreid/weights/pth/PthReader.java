package io.ibreid.weights.pth;

import io.ibreid.core.IbreidException;
import io.ibreid.weights.StateDict;
import io.ibreid.weights.Tensor;
import io.ibreid.weights.WeightsFormat;
import io.ibreid.weights.pth.Pickled.LegacyTensor;
import io.ibreid.weights.pth.Pickled.StorageRef;
import io.ibreid.weights.pth.Pickled.StorageType;
import io.ibreid.weights.pth.Pickled.TensorRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code torch.save} file of either format into a {@link StateDict}: the zip archive PyTorch writes since
 * 1.6 ({@link ZipPth}) and the legacy pickle stream ({@link LegacyPth}). Both unpickle the object with
 * {@link TorchUnpickler} (whitelisted globals; storages named by persistent ids), then read the storages the
 * tensors use and lay each tensor out by its size, stride and storage offset.
 */
public final class PthReader {
  /** The most bytes one pickle (the state dict's structure, not its storages) may take. */
  static final long MAX_PICKLE_BYTES = 32L << 20;
  /** Dictionary nesting at most (a checkpoint holding state dicts holding tensors needs 3). */
  static final int MAX_DEPTH = 32;
  /** Tensors may hold at most this many times their storages' elements, plus MAX_EXPANDED. */
  static final long MAX_REPETITION = 8;
  static final long MAX_EXPANDED = 1L << 24;

  private PthReader() {}

  /**
   * @param format {@link WeightsFormat#PTH_ZIP} or {@link WeightsFormat#PTH_LEGACY}
   * @throws IbreidException with one line naming the file for anything it will not or cannot read
   */
  public static StateDict read(Path file, WeightsFormat format) {
    try {
      return switch (format) {
        case PTH_ZIP -> ZipPth.read(file);
        case PTH_LEGACY -> LegacyPth.read(file);
        default -> throw new IllegalArgumentException(format + " is not a .pth format");
      };
    } catch (IbreidException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      PickleFault fault = faultIn(e);
      if (fault != null) {
        throw new IbreidException(file + ": " + fault.getMessage(), e);
      }
      throw new IbreidException(file + ": not a readable " + format.title() + " file (" + oneLine(e) + ")", e);
    }
  }

  /** An exception's class and message on one line. */
  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? "" : e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
    return e.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
  }

  /** The PickleFault among an exception's causes (Pyrolite wraps what a __setstate__ throws twice), or null. */
  static PickleFault faultIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PickleFault f) {
        return f;
      }
    }
    return null;
  }

  /** The storage a persistent id names; {@code known} holds one StorageRef per root key. */
  static StorageRef storage(Object pid, Map<String, StorageRef> known) {
    if (!(pid instanceof Object[] t) || t.length == 0) {
      throw new PickleFault("persistent id " + Rebuild.describe(pid) + "; expected ('storage', ...)");
    }
    if ("module".equals(t[0])) {
      throw new PickleFault("holds a pickled nn.Module class (persistent id 'module'): only PyTorch tensor state "
          + "dicts are read (a whole pickled model: save model.state_dict() with torch.save instead)");
    }
    if (!"storage".equals(t[0]) || (t.length != 5 && t.length != 6)) {
      throw new PickleFault("persistent id " + Rebuild.describe(t[0]) + " of " + t.length
          + " elements; expected ('storage', type, key, location, size[, view])");
    }
    if (!(t[1] instanceof StorageType type)) {
      throw new PickleFault("persistent id with storage type " + Rebuild.describe(t[1]));
    }
    String key = String.valueOf(t[2]);
    long numel = Rebuild.toLong("persistent id", "size", t[4]);
    if (numel < 0) {
      throw new PickleFault("storage " + key + " of negative size " + numel);
    }
    StorageRef root = known.computeIfAbsent(key, k -> new StorageRef(k, type.dtype(), numel));
    if (root.dtype() != type.dtype() || root.numel() != numel) {
      throw new PickleFault("storage " + key + " named as " + type.dtype().torchName() + " of " + numel
          + " elements and as " + root.dtype().torchName() + " of " + root.numel());
    }
    if (t.length == 6 && t[5] != null) { // legacy view (key, offset, size) into the root, in elements
      if (!(t[5] instanceof Object[] v) || v.length != 3) {
        throw new PickleFault("storage view " + Rebuild.describe(t[5]) + "; expected (key, offset, size)");
      }
      long offset = Rebuild.toLong("storage view", "offset", v[1]);
      long size = Rebuild.toLong("storage view", "size", v[2]);
      if (offset < 0 || size < 0 || offset > numel || size > numel - offset) {
        throw new PickleFault("storage view of " + size + " elements at " + offset + " outside storage " + key
            + " of " + numel);
      }
      return new StorageRef(key + "@" + offset, root.dtype(), size, root, offset);
    }
    return root;
  }

  /**
   * The tensors of an unpickled object, flattened: dictionaries nest with dotted names, anything that is neither
   * a tensor nor a dictionary is listed in {@code skipped}.
   */
  static Map<String, TensorRef> flatten(Object root, List<String> skipped) {
    if (!(root instanceof Map<?, ?>)) {
      throw new PickleFault("holds " + Rebuild.describe(root) + ", not a state dict (a dictionary of tensors)");
    }
    Map<String, TensorRef> out = new LinkedHashMap<>();
    flatten("", root, out, skipped, 0);
    if (out.isEmpty()) {
      throw new PickleFault("holds no tensors" + (skipped.isEmpty() ? "" : " (only " + String.join(", ",
          skipped.subList(0, Math.min(skipped.size(), 8))) + (skipped.size() > 8 ? ", ..." : "") + ")"));
    }
    return out;
  }

  private static void flatten(String name, Object value, Map<String, TensorRef> out, List<String> skipped,
      int depth) {
    if (value instanceof TensorRef || value instanceof LegacyTensor) {
      if (out.put(name, Rebuild.asTensor(name, value)) != null) {
        throw new PickleFault("two tensors named " + name);
      }
    } else if (value instanceof Map<?, ?> map) {
      if (depth > MAX_DEPTH) {
        throw new PickleFault("dictionaries nested deeper than " + MAX_DEPTH + " at " + name);
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        flatten(name.isEmpty() ? key : name + "." + key, e.getValue(), out, skipped, depth + 1);
      }
    } else {
      skipped.add(name);
    }
  }

  /** Lays out every tensor over its storage's bytes; a tensor its storage cannot hold is one line. */
  static StateDict assemble(Path file, WeightsFormat format, Map<String, TensorRef> refs, List<String> skipped,
      Map<StorageRef, ByteBuffer> bytes) {
    checkRepetition(file, refs);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
      TensorRef t = e.getValue();
      ByteBuffer storage = bytes.get(t.storage());
      try {
        tensors.put(e.getKey(), Tensor.fromStorage(t.storage().dtype(), t.size(), t.stride(), t.offset(), storage));
      } catch (IllegalArgumentException x) {
        throw new IbreidException(file + ": tensor " + e.getKey() + " does not fit its storage "
            + t.storage().key() + ": " + x.getMessage());
      }
    }
    return new StateDict(file, format, tensors, skipped);
  }

  /**
   * Refuses tensors that together hold far more elements than their storages: a pickle may lay any number of
   * tensors over one storage, or expand one element with zero strides, so the storages' size alone does not bound
   * what would be allocated. Views, tied weights and small expanded tensors stay well inside the bound.
   */
  static void checkRepetition(Path file, Map<String, TensorRef> refs) {
    long stored = 0;
    for (StorageRef s : storagesOf(refs)) {
      stored += s.root() == null ? s.numel() : 0;
    }
    long held = 0;
    try {
      for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
        held = Math.addExact(held, Tensor.numel(e.getValue().size()));
      }
    } catch (ArithmeticException | IllegalArgumentException e) {
      held = Long.MAX_VALUE;
    }
    long bound = MAX_REPETITION * stored + MAX_EXPANDED;
    if (held > bound) {
      throw new IbreidException(file + ": its tensors hold " + (held == Long.MAX_VALUE ? "more than 2^63" : held)
          + " elements over storages of " + stored + ": more than " + MAX_REPETITION + " times their storages plus "
          + MAX_EXPANDED + " (shared storages, zero strides) is not read");
    }
  }

  /** The storages the tensors use, each once, roots before views. */
  static List<StorageRef> storagesOf(Map<String, TensorRef> refs) {
    Map<StorageRef, Boolean> seen = new LinkedHashMap<>();
    for (TensorRef t : refs.values()) {
      if (t.storage().root() != null) {
        seen.put(t.storage().root(), true);
      }
      seen.put(t.storage(), true);
    }
    return new ArrayList<>(seen.keySet());
  }

  /** The bytes of a legacy view: its slice of the root's bytes. */
  static ByteBuffer view(StorageRef view, ByteBuffer root) {
    int size = view.dtype().size();
    return root.duplicate().position((int) (view.rootOffset() * size))
        .limit((int) ((view.rootOffset() + view.numel()) * size)).slice().order(root.order());
  }
}
