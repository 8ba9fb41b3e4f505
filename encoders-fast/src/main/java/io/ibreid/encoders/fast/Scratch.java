package io.ibreid.encoders.fast;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The short-lived arrays of a trunk's passes, shared by all its steps: the gradients of the backward pass and the
 * activations of inference passes live only until the next step has read them, so a few buffers of the largest
 * feature map serve the whole trunk instead of one array per unit (ResNet-50 at 256×128 has 53 units). {@link
 * #take} lends a contiguous C-order array of the shape asked for, over a free buffer; {@link #give} returns it.
 * Buffers are allocated outside DL4J's workspaces (the caller must be outside every workspace) with the capacity
 * last set by {@link #fit}, and kept. Not thread-safe: one per trunk.
 */
final class Scratch {
  private final DataType type;
  private long capacity;
  private final List<DataBuffer> free = new ArrayList<>();
  private final Map<DataBuffer, Boolean> lent = new IdentityHashMap<>();
  private int allocated;

  Scratch(DataType type) {
    this.type = type;
  }

  /**
   * Every buffer holds at least {@code elements}: when that is more than the current capacity, the free buffers
   * are dropped (those lent are dropped when given back) and new ones have the new capacity.
   */
  void fit(long elements) {
    if (elements > capacity) {
      capacity = elements;
      free.clear();
    }
  }

  /** A contiguous C-order array of this shape over a free buffer; its contents are whatever was last written. */
  INDArray take(long... shape) {
    long n = 1;
    for (long s : shape) {
      n = Math.multiplyExact(n, s);
    }
    if (n > capacity) {
      fit(n);
    }
    DataBuffer b = free.isEmpty() ? newBuffer() : free.remove(free.size() - 1);
    lent.put(b, Boolean.TRUE);
    return Nd4j.create(b, shape, Nd4j.getStrides(shape, 'c'), 0, 'c', type);
  }

  private DataBuffer newBuffer() {
    allocated++;
    return Nd4j.createBuffer(type, capacity, false);
  }

  /** Returns an array {@link #take} lent; anything else (a kept array, null) is ignored. */
  void give(INDArray a) {
    if (a == null) {
      return;
    }
    DataBuffer b = a.data();
    if (lent.remove(b) != null && b.length() >= capacity) {
      free.add(b);
    }
  }

  /** Whether {@code a} is an array {@link #take} lent and not yet given back. */
  boolean lent(INDArray a) {
    return a != null && lent.containsKey(a.data());
  }

  /** Buffers allocated so far (for tests: a pass must not allocate one per unit). */
  int allocated() {
    return allocated;
  }
}
