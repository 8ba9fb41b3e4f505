package io.ibreid.weights;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One tensor of a state dict: its element type as the file stores it, its shape, and its elements in row-major
 * (C) order. F32, F16 and BF16 are held as {@code float} (the half types widened exactly), F64 as {@code double},
 * integer and boolean types as {@code long}. Immutable: the accessors return copies.
 */
public final class Tensor {
  /** The largest element count a tensor may have (one Java array). */
  public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private final DType dtype;
  private final long[] shape;
  private final float[] floats;
  private final double[] doubles;
  private final long[] longs;

  private Tensor(DType dtype, long[] shape, float[] floats, double[] doubles, long[] longs) {
    this.dtype = dtype;
    this.shape = shape.clone();
    this.floats = floats;
    this.doubles = doubles;
    this.longs = longs;
    long n = numel(this.shape);
    int have = floats != null ? floats.length : doubles != null ? doubles.length : longs.length;
    if (n != have) {
      throw new IllegalArgumentException("shape " + shapeString(shape) + " holds " + n + " elements, not " + have);
    }
  }

  /** An F32 tensor of these elements (row-major; copied). */
  public static Tensor ofFloats(long[] shape, float[] data) {
    return new Tensor(DType.F32, shape, data.clone(), null, null);
  }

  /** An F64 tensor of these elements (row-major; copied). */
  public static Tensor ofDoubles(long[] shape, double[] data) {
    return new Tensor(DType.F64, shape, null, data.clone(), null);
  }

  /** An I64 tensor of these elements (row-major; copied). */
  public static Tensor ofLongs(long[] shape, long[] data) {
    return new Tensor(DType.I64, shape, null, null, data.clone());
  }

  /**
   * Reads a tensor out of a storage's bytes, as PyTorch lays a tensor over its storage: element
   * {@code (i0, i1, ...)} is storage element {@code offset + i0 * stride[0] + i1 * stride[1] + ...}.
   *
   * @param storage the storage's bytes, with its byte order set; its elements start at position 0
   * @param stride elements to step per index of each dimension; null for row-major contiguous
   * @throws IllegalArgumentException when a size, stride or offset is negative, a count overflows, the tensor
   *     reaches past the storage or has more than {@link #MAX_ELEMENTS} elements (nothing large is allocated first)
   */
  public static Tensor fromStorage(DType dtype, long[] shape, long[] stride, long offset, ByteBuffer storage) {
    long n = numel(shape);
    if (n > MAX_ELEMENTS) {
      throw new IllegalArgumentException("shape " + shapeString(shape) + " has " + n + " elements, more than "
          + MAX_ELEMENTS + " cannot be read");
    }
    long[] st = stride != null ? stride : contiguousStrides(shape);
    if (st.length != shape.length) {
      throw new IllegalArgumentException("shape " + shapeString(shape) + " has " + shape.length
          + " dimensions but strides " + shapeString(st) + " have " + st.length);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("negative storage offset " + offset);
    }
    long storageNumel = storage.remaining() / dtype.size();
    if (n > 0) {
      long last = offset;
      for (int d = 0; d < shape.length; d++) {
        if (st[d] < 0) {
          throw new IllegalArgumentException("negative stride in " + shapeString(st));
        }
        try {
          last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, st[d]));
        } catch (ArithmeticException e) {
          last = Long.MAX_VALUE;
        }
      }
      if (last >= storageNumel) {
        throw new IllegalArgumentException("shape " + shapeString(shape) + " with strides " + shapeString(st)
            + " at offset " + offset + " needs " + (last < Long.MAX_VALUE ? String.valueOf(last + 1) : "2^63 or more")
            + " storage elements, the storage holds " + storageNumel);
      }
    }
    int count = (int) n;
    float[] f = null;
    double[] d = null;
    long[] l = null;
    switch (dtype) {
      case F32, F16, BF16 -> f = new float[count];
      case F64 -> d = new double[count];
      default -> l = new long[count];
    }
    if (Arrays.equals(st, contiguousStrides(shape)) && (f != null && dtype == DType.F32 || d != null)) {
      ByteBuffer from = storage.duplicate().order(storage.order());
      from.position(storage.position() + (int) (offset * dtype.size()));
      if (f != null) {
        from.asFloatBuffer().get(f); // row-major float32: one bulk copy
      } else {
        from.asDoubleBuffer().get(d);
      }
      return new Tensor(dtype, shape, f, d, l);
    }
    int rank = shape.length;
    long[] index = new long[rank];
    long at = offset;
    int base = storage.position();
    for (int i = 0; i < count; i++) {
      int byteAt = base + (int) (at * dtype.size());
      switch (dtype) {
        case F32 -> f[i] = storage.getFloat(byteAt);
        case F16 -> f[i] = halfToFloat(storage.getShort(byteAt));
        case BF16 -> f[i] = Float.intBitsToFloat((storage.getShort(byteAt) & 0xffff) << 16);
        case F64 -> d[i] = storage.getDouble(byteAt);
        case I64 -> l[i] = storage.getLong(byteAt);
        case I32 -> l[i] = storage.getInt(byteAt);
        case I16 -> l[i] = storage.getShort(byteAt);
        case I8 -> l[i] = storage.get(byteAt);
        case U8 -> l[i] = storage.get(byteAt) & 0xff;
        case BOOL -> l[i] = storage.get(byteAt) != 0 ? 1 : 0;
        default -> throw new IllegalStateException(dtype.name());
      }
      for (int k = rank - 1; k >= 0; k--) { // odometer over the indices, last dimension fastest
        at += st[k];
        if (++index[k] < shape[k]) {
          break;
        }
        at -= st[k] * shape[k];
        index[k] = 0;
      }
    }
    return new Tensor(dtype, shape, f, d, l);
  }

  /** The element type the file stored. */
  public DType dtype() {
    return dtype;
  }

  /** The shape (a copy); {@code []} for a 0-d tensor. */
  public long[] shape() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The number of elements. */
  public int numel() {
    return floats != null ? floats.length : doubles != null ? doubles.length : longs.length;
  }

  /** The elements as float, row-major (F64 and integers rounded as Java's casts do). */
  public float[] toFloatArray() {
    if (floats != null) {
      return floats.clone();
    }
    float[] out = new float[numel()];
    for (int i = 0; i < out.length; i++) {
      out[i] = doubles != null ? (float) doubles[i] : (float) longs[i];
    }
    return out;
  }

  /** The elements as double, row-major (exact for every floating type). */
  public double[] toDoubleArray() {
    if (doubles != null) {
      return doubles.clone();
    }
    double[] out = new double[numel()];
    for (int i = 0; i < out.length; i++) {
      out[i] = floats != null ? floats[i] : (double) longs[i];
    }
    return out;
  }

  /**
   * The elements as long, row-major.
   *
   * @throws IllegalStateException for a floating tensor
   */
  public long[] toLongArray() {
    if (longs == null) {
      throw new IllegalStateException("a " + dtype.torchName() + " tensor has no integer elements");
    }
    return longs.clone();
  }

  /** True when the other tensor has the same dtype, shape and element bits (NaNs compared by their bits). */
  public boolean bitwiseEquals(Tensor other) {
    if (other.dtype != dtype || !Arrays.equals(other.shape, shape)) {
      return false;
    }
    if (floats != null) {
      for (int i = 0; i < floats.length; i++) {
        if (Float.floatToRawIntBits(floats[i]) != Float.floatToRawIntBits(other.floats[i])) {
          return false;
        }
      }
      return true;
    }
    if (doubles != null) {
      for (int i = 0; i < doubles.length; i++) {
        if (Double.doubleToRawLongBits(doubles[i]) != Double.doubleToRawLongBits(other.doubles[i])) {
          return false;
        }
      }
      return true;
    }
    return Arrays.equals(longs, other.longs);
  }

  @Override
  public String toString() {
    return dtype.torchName() + " " + shapeString(shape);
  }

  /** {@code [64, 3, 7, 7]}; {@code []} for a 0-d shape. */
  public static String shapeString(long[] shape) {
    return Arrays.toString(shape);
  }

  /**
   * The element count of a shape.
   *
   * @throws IllegalArgumentException for a negative size or a count beyond {@code Long.MAX_VALUE}
   */
  public static long numel(long[] shape) {
    long n = 1;
    for (long s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative size in shape " + shapeString(shape));
      }
      try {
        n = Math.multiplyExact(n, s);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("shape " + shapeString(shape) + " has more than 2^63 elements");
      }
    }
    return n;
  }

  static long[] contiguousStrides(long[] shape) {
    long[] st = new long[shape.length];
    long s = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      st[d] = s;
      s *= Math.max(shape[d], 1); // numel(shape) was checked first: no overflow
    }
    return st;
  }

  /** IEEE 754 binary16 to binary32, exactly (subnormals, infinities and NaN payloads included). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      float value = mant * 0x1p-24f; // subnormal: mant * 2^-24, exact in float
      return sign != 0 ? -value : value;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
