package io.ibreid.weights.pth;

import io.ibreid.weights.DType;
import java.util.LinkedHashMap;
import java.util.List;
import net.razorvine.pickle.IObjectConstructor;

/**
 * The Java objects the whitelisted globals build while a state dict is unpickled. None of them runs anything: they
 * record the arguments PyTorch's rebuild functions would receive. The nested classes that a pickle's BUILD opcode
 * reaches are public because the unpickler calls their {@code __setstate__} by reflection.
 */
final class Pickled {
  private Pickled() {}

  /** A storage class ({@code torch.FloatStorage}...): only ever an element of a persistent id. */
  record StorageType(String name, DType dtype) implements IObjectConstructor {
    @Override
    public Object construct(Object[] args) {
      throw new PickleFault("refuses to call " + name + ": storages are read from persistent ids only");
    }
  }

  /**
   * A storage named by a persistent id: its key (the zip entry name or the legacy stream's key), element type and
   * element count. A legacy view of a root storage also has the root and its element offset in it.
   */
  record StorageRef(String key, DType dtype, long numel, StorageRef root, long rootOffset) {
    StorageRef(String key, DType dtype, long numel) {
      this(key, dtype, numel, null, 0);
    }
  }

  /** A tensor as PyTorch rebuilds it: a storage, an element offset into it, a size and a stride. */
  record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

  /** {@code collections.OrderedDict}: insertion-ordered; its instance attributes are not entries. */
  public static final class PyOrderedDict extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;

    /** BUILD with the instance's {@code __dict__} (a state dict's {@code _metadata}, module versions): unused. */
    public void __setstate__(LinkedHashMap<?, ?> state) {
      // not needed to read the tensors
    }
  }

  /** An instance of a legacy tensor class ({@code torch.FloatTensor()}), given its storage by BUILD. */
  public static final class LegacyTensor {
    private final String className;
    private TensorRef tensor;

    LegacyTensor(String className) {
      this.className = className;
    }

    /**
     * PyTorch 0.1's tensor state {@code (storage, offset, size, stride)}, or the 0.2 Variable state
     * {@code (data, ...)} whose first element is a tensor.
     */
    public void __setstate__(Object[] state) {
      if (state.length == 4) {
        tensor = Rebuild.tensor(className, state[0], state[1], state[2], state[3]);
      } else if (state.length == 5) {
        tensor = Rebuild.asTensor(className, state[0]);
      } else {
        throw new PickleFault(className + " state of " + state.length + " elements; expected 4 or 5");
      }
    }

    TensorRef tensor() {
      if (tensor == null) {
        throw new PickleFault(className + " without its storage (no BUILD state)");
      }
      return tensor;
    }
  }

  /**
   * A value a checkpoint may hold next to its state dicts and that is skipped, never built: numpy arrays, scalars
   * and dtypes (a Re-ID checkpoint's {@code mAP} and {@code cmc}).
   */
  public static final class Inert {
    private final String name;

    Inert(String name) {
      this.name = name;
    }

    public void __setstate__(Object[] state) {
      // the array's bytes and dtype: not needed
    }

    public void __setstate__(LinkedHashMap<?, ?> state) {
      // instance attributes: not needed
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** An OrderedDict from nothing, or (Python 2's reduction) from a list of [key, value] pairs. */
  static final IObjectConstructor ORDERED_DICT = args -> {
    PyOrderedDict d = new PyOrderedDict();
    if (args.length == 1 && args[0] instanceof List<?> pairs) {
      for (Object p : pairs) {
        Object[] kv = p instanceof List<?> l ? l.toArray() : p instanceof Object[] a ? a : null;
        if (kv == null || kv.length != 2) {
          throw new PickleFault("collections.OrderedDict from a list whose items are not [key, value] pairs");
        }
        d.put(kv[0], kv[1]);
      }
    } else if (args.length != 0) {
      throw new PickleFault("collections.OrderedDict called with " + args.length + " arguments");
    }
    return d;
  };
}
