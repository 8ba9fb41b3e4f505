package io.ibreid.weights.pth;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Pyrolite's pickle machine restricted to what a PyTorch state dict needs. Every global (GLOBAL, STACK_GLOBAL,
 * INST) is looked up in {@link Globals}' whitelist and refused by name otherwise; Pyrolite's own registry (datetime,
 * decimal, a dictionary for any unknown class...) is never consulted. Every length a pickle declares is checked
 * against the bytes left before Pyrolite allocates it; the stack and memo are capped. Dictionaries keep the
 * pickle's insertion order (Pyrolite's are hash maps). Persistent ids go to the reader's function.
 */
final class TorchUnpickler extends Unpickler {
  /** Stack and memo entries at most: a state dict of 100k tensors needs a few per tensor. */
  static final int MAX_ENTRIES = 1 << 22;

  private final Function<Object, Object> persistent;
  private BoundedInput in;
  private Object marker;

  TorchUnpickler(Function<Object, Object> persistent) {
    this.persistent = persistent;
  }

  /** Reads one pickle (up to its STOP opcode) from {@code in}, leaving the stream just after it. */
  Object load(BoundedInput input) throws IOException {
    this.in = input;
    this.marker = null;
    return super.load(input);
  }

  @Override
  protected Object dispatch(short key) throws IOException {
    switch (key) {
      case Opcodes.GLOBAL -> {
        String module = PickleUtils.readline(input);
        String name = PickleUtils.readline(input);
        stack.add(global(module, name));
        return NO_RETURN_VALUE;
      }
      case Opcodes.STACK_GLOBAL -> {
        Object name = stack.pop();
        Object module = stack.pop();
        if (!(module instanceof String m) || !(name instanceof String n)) {
          throw new PickleFault("STACK_GLOBAL without a module and name");
        }
        stack.add(global(m, n));
        return NO_RETURN_VALUE;
      }
      case Opcodes.INST -> {
        String module = PickleUtils.readline(input);
        String name = PickleUtils.readline(input);
        throw new PickleFault(Globals.refusal(module, name));
      }
      case Opcodes.MARK -> {
        Object result = super.dispatch(key);
        marker = stack.peek(); // Pyrolite's private mark object: the same one for every MARK of this load
        return result;
      }
      case Opcodes.EMPTY_DICT -> {
        stack.add(new LinkedHashMap<>());
        return NO_RETURN_VALUE;
      }
      case Opcodes.DICT -> {
        List<Object> pairs = pairsSinceMark("DICT");
        Map<Object, Object> dict = new LinkedHashMap<>();
        putAll(dict, pairs);
        stack.add(dict);
        return NO_RETURN_VALUE;
      }
      case Opcodes.SETITEMS -> {
        List<Object> pairs = pairsSinceMark("SETITEMS");
        if (!(stack.peek() instanceof Map<?, ?>)) {
          throw new PickleFault("SETITEMS on " + Rebuild.describe(stack.peek()) + ", not a dictionary");
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
        putAll(dict, pairs);
        return NO_RETURN_VALUE;
      }
      case Opcodes.BINSTRING, Opcodes.BINBYTES, Opcodes.BINUNICODE, Opcodes.LONG4 -> checkLength(4);
      case Opcodes.BINBYTES8, Opcodes.BINUNICODE8, Opcodes.BYTEARRAY8 -> checkLength(8);
      default -> {
        // Pyrolite's own handling
      }
    }
    Object result = super.dispatch(key);
    if (stack.size() > MAX_ENTRIES || memo.size() > MAX_ENTRIES) {
      throw new PickleFault("more than " + MAX_ENTRIES + " objects on the pickle's stack or memo");
    }
    return result;
  }

  @Override
  protected Object persistentLoad(Object pid) {
    return persistent.apply(pid);
  }

  private static IObjectConstructor global(String module, String name) {
    IObjectConstructor c = Globals.resolve(module, name);
    if (c == null) {
      throw new PickleFault(Globals.refusal(module, name));
    }
    return c;
  }

  /** The keys and values above the last mark, in the pickle's order (Pyrolite collects them in a HashMap). */
  private List<Object> pairsSinceMark(String opcode) {
    if (marker == null) {
      throw new PickleFault(opcode + " without a MARK");
    }
    List<Object> items = new ArrayList<>();
    for (Object o = stack.pop(); o != marker; o = stack.pop()) {
      items.add(o);
    }
    if (items.size() % 2 != 0) {
      throw new PickleFault(opcode + " with an odd number of items");
    }
    Collections.reverse(items);
    return items;
  }

  private static void putAll(Map<Object, Object> dict, List<Object> pairs) {
    for (int i = 0; i < pairs.size(); i += 2) {
      dict.put(pairs.get(i), pairs.get(i + 1));
    }
  }

  /** Peeks at a little-endian length of 4 (signed) or 8 bytes and checks it against the bytes left. */
  private void checkLength(int width) throws IOException {
    in.mark(width);
    byte[] b = in.readNBytes(width);
    in.reset();
    if (b.length < width) {
      return; // Pyrolite reports the end of the data
    }
    long n = width == 4 ? PickleUtils.bytes_to_integer(b) : PickleUtils.bytes_to_long(b, 0);
    if (n < 0 || n > in.remaining() - width) {
      throw new PickleFault("a string or number of " + Long.toUnsignedString(n) + " bytes runs past the end of the "
          + "pickle (" + (in.remaining() - width) + " bytes left)");
    }
  }
}
