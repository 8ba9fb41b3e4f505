package io.ibreid.weights.pth;

import io.ibreid.weights.pth.Pickled.LegacyTensor;
import io.ibreid.weights.pth.Pickled.StorageRef;
import io.ibreid.weights.pth.Pickled.TensorRef;
import java.math.BigInteger;
import java.util.List;
import net.razorvine.pickle.IObjectConstructor;

/** PyTorch's tensor rebuild functions, as records of their arguments. */
final class Rebuild {
  private Rebuild() {}

  /** {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}. */
  static final IObjectConstructor TENSOR_V2 = args -> {
    arity("torch._utils._rebuild_tensor_v2", args, 6, 7);
    return tensor("torch._utils._rebuild_tensor_v2", args[0], args[1], args[2], args[3]);
  };

  /** {@code torch._utils._rebuild_tensor(storage, offset, size, stride)} (PyTorch 0.3 and 0.4). */
  static final IObjectConstructor TENSOR_V1 = args -> {
    arity("torch._utils._rebuild_tensor", args, 4, 4);
    return tensor("torch._utils._rebuild_tensor", args[0], args[1], args[2], args[3]);
  };

  /** {@code torch._utils._rebuild_parameter(data, requires_grad, hooks)}: the parameter's tensor. */
  static final IObjectConstructor PARAMETER = args -> {
    arity("torch._utils._rebuild_parameter", args, 3, 3);
    return asTensor("torch._utils._rebuild_parameter", args[0]);
  };

  /** {@code torch._utils._rebuild_parameter_with_state(data, requires_grad, hooks, state)}: the tensor. */
  static final IObjectConstructor PARAMETER_WITH_STATE = args -> {
    arity("torch._utils._rebuild_parameter_with_state", args, 4, 4);
    return asTensor("torch._utils._rebuild_parameter_with_state", args[0]);
  };

  /** {@code torch.Size(tuple)}: the tuple. */
  static final IObjectConstructor SIZE = args -> {
    arity("torch.Size", args, 1, 1);
    return args[0] instanceof List<?> l ? l.toArray() : args[0];
  };

  static TensorRef tensor(String what, Object storage, Object offset, Object size, Object stride) {
    if (!(storage instanceof StorageRef s)) {
      throw new PickleFault(what + " given " + describe(storage) + " where a storage belongs");
    }
    long[] sizes = longs(what, "size", size);
    long[] strides = longs(what, "stride", stride);
    if (sizes.length != strides.length) {
      throw new PickleFault(what + " with size of " + sizes.length + " dimensions and stride of " + strides.length);
    }
    return new TensorRef(s, toLong(what, "storage offset", offset), sizes, strides);
  }

  static TensorRef asTensor(String what, Object data) {
    if (data instanceof TensorRef t) {
      return t;
    }
    if (data instanceof LegacyTensor l) {
      return l.tensor();
    }
    throw new PickleFault(what + " given " + describe(data) + " where a tensor belongs");
  }

  static long[] longs(String what, String name, Object value) {
    Object[] items = value instanceof Object[] a ? a : value instanceof List<?> l ? l.toArray() : null;
    if (items == null) {
      throw new PickleFault(what + " given " + describe(value) + " as its " + name + "; expected a tuple");
    }
    long[] out = new long[items.length];
    for (int i = 0; i < items.length; i++) {
      out[i] = toLong(what, name, items[i]);
    }
    return out;
  }

  static long toLong(String what, String name, Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    throw new PickleFault(what + " given " + describe(value) + " in its " + name + "; expected a 64-bit integer");
  }

  static void arity(String what, Object[] args, int min, int max) {
    if (args.length < min || args.length > max) {
      throw new PickleFault(what + " called with " + args.length + " arguments; expected "
          + (min == max ? String.valueOf(min) : min + " or " + max));
    }
  }

  static String describe(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Object[] a) {
      return "a tuple of " + a.length;
    }
    String s = String.valueOf(value);
    return value.getClass().getSimpleName() + " " + (s.length() > 40 ? s.substring(0, 40) + "..." : s);
  }
}
