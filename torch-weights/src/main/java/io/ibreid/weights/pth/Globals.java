package io.ibreid.weights.pth;

import io.ibreid.weights.DType;
import io.ibreid.weights.pth.Pickled.Inert;
import io.ibreid.weights.pth.Pickled.LegacyTensor;
import io.ibreid.weights.pth.Pickled.StorageType;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.objects.ByteArrayConstructor;

/**
 * The whitelist: the only globals (classes and functions a pickle names) that a state dict file may use, each
 * mapped to a Java constructor that records its arguments. Anything else is refused by name.
 *
 * <ul>
 *   <li>{@code collections.OrderedDict}, {@code torch.Size}
 *   <li>{@code torch._utils._rebuild_tensor_v2}, {@code _rebuild_tensor}, {@code _rebuild_parameter},
 *       {@code _rebuild_parameter_with_state}
 *   <li>the storage classes {@code torch.FloatStorage} ... {@code torch.BoolStorage} (also {@code torch.cuda.*}:
 *       read to the CPU) and PyTorch 0.1's tensor classes {@code torch.FloatTensor} ... (also {@code torch.cuda.*})
 *   <li>inert, skipped values a training checkpoint holds beside its state dicts: numpy's {@code _reconstruct},
 *       {@code ndarray}, {@code dtype} and {@code scalar}, and {@code _codecs.encode} (how protocol 2 pickles bytes)
 * </ul>
 */
final class Globals {
  private static final Set<String> NUMPY_MODULES = Set.of("numpy", "numpy.core.multiarray", "numpy._core.multiarray");
  private static final Set<String> NUMPY_NAMES = Set.of("_reconstruct", "ndarray", "dtype", "scalar");
  private static final IObjectConstructor CODECS_ENCODE = new ByteArrayConstructor();

  private Globals() {}

  /** The constructor of a whitelisted global, or null. */
  static IObjectConstructor resolve(String module, String name) {
    switch (module + "." + name) {
      case "collections.OrderedDict":
        return Pickled.ORDERED_DICT;
      case "torch._utils._rebuild_tensor_v2":
        return Rebuild.TENSOR_V2;
      case "torch._utils._rebuild_tensor":
        return Rebuild.TENSOR_V1;
      case "torch._utils._rebuild_parameter":
        return Rebuild.PARAMETER;
      case "torch._utils._rebuild_parameter_with_state":
        return Rebuild.PARAMETER_WITH_STATE;
      case "torch.Size":
        return Rebuild.SIZE;
      case "_codecs.encode":
        return CODECS_ENCODE;
      default:
        break;
    }
    if (module.equals("torch") || module.equals("torch.cuda")) {
      DType storage = DType.ofStorageClass(name);
      if (storage != null) {
        return new StorageType(module + "." + name, storage);
      }
      if (name.endsWith("Tensor") && DType.ofStorageClass(name.replace("Tensor", "Storage")) != null) {
        String className = module + "." + name;
        return args -> {
          if (args.length != 0) {
            throw new PickleFault(className + " called with " + args.length + " arguments; expected none");
          }
          return new LegacyTensor(className);
        };
      }
    }
    if (NUMPY_MODULES.contains(module) && NUMPY_NAMES.contains(name)) {
      String full = module + "." + name;
      return args -> new Inert(full);
    }
    return null;
  }

  /** The one-line refusal for a global outside the whitelist, with a hint for the common cases. */
  static String refusal(String module, String name) {
    String hint = "";
    if (module.startsWith("torch.nn") || module.equals("__main__") || module.startsWith("__torch__")) {
      hint = " (a whole pickled model: save model.state_dict() with torch.save instead)";
    }
    return "refuses to load global " + module + "." + name + ": only PyTorch tensor state dicts are read" + hint;
  }
}
