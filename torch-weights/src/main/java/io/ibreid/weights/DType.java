package io.ibreid.weights;

/**
 * An element type a weights file stores. Floating types are read into {@code float[]} (F32, and F16 / BF16
 * widened exactly) or {@code double[]} (F64); integer and boolean types into {@code long[]}.
 */
public enum DType {
  F64(8, "DoubleStorage", "float64"),
  F32(4, "FloatStorage", "float32"),
  F16(2, "HalfStorage", "float16"),
  BF16(2, "BFloat16Storage", "bfloat16"),
  I64(8, "LongStorage", "int64"),
  I32(4, "IntStorage", "int32"),
  I16(2, "ShortStorage", "int16"),
  I8(1, "CharStorage", "int8"),
  U8(1, "ByteStorage", "uint8"),
  BOOL(1, "BoolStorage", "bool");

  private final int size;
  private final String storage;
  private final String torchName;

  DType(int size, String storage, String torchName) {
    this.size = size;
    this.storage = storage;
    this.torchName = torchName;
  }

  /** Bytes per element. */
  public int size() {
    return size;
  }

  /** PyTorch's storage class for this type in the {@code torch} module, e.g. {@code FloatStorage}. */
  public String storageClass() {
    return storage;
  }

  /** PyTorch's name, e.g. {@code float32}. */
  public String torchName() {
    return torchName;
  }

  /** True for F64, F32, F16 and BF16. */
  public boolean isFloating() {
    return this == F64 || this == F32 || this == F16 || this == BF16;
  }

  /** The type of a PyTorch storage class name ({@code FloatStorage}), or null if none. */
  public static DType ofStorageClass(String name) {
    for (DType t : values()) {
      if (t.storage.equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** The type of a safetensors dtype string ({@code F32}, {@code BOOL}...), or null if none. */
  public static DType ofSafetensors(String name) {
    for (DType t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }
}
