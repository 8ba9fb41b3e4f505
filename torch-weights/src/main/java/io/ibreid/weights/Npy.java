package io.ibreid.weights;

import io.ibreid.core.IbreidException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads numpy's {@code .npy} arrays (what {@code np.save} writes; the fixtures' inputs and PyTorch's outputs):
 * the magic {@code \x93NUMPY}, a version, a header dictionary {@code {'descr': '<f8', 'fortran_order': False,
 * 'shape': (2, 3)}}, then the elements. C order only; float64, float32, float16, int64, int32, int16, int8,
 * uint8 and bool, either byte order.
 */
public final class Npy {
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** @throws IbreidException with one line naming the file when it is not such an array */
  public static Tensor read(Path file) {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IbreidException(file + ": cannot read: " + e.getMessage(), e);
    }
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    if (all.length < 10 || (all[0] & 0xff) != 0x93 || !new String(all, 1, 5, StandardCharsets.US_ASCII)
        .equals("NUMPY")) {
      throw new IbreidException(file + ": not a .npy file (no \\x93NUMPY magic)");
    }
    int major = all[6];
    long headerLength = major == 1 ? b.getShort(8) & 0xffff : all.length >= 12 ? b.getInt(8) & 0xffffffffL : -1;
    int start = major == 1 ? 10 : 12;
    if (major < 1 || major > 3 || headerLength < 0 || headerLength > all.length - start) {
      throw new IbreidException(file + ": .npy version " + major + " header of " + headerLength
          + " bytes does not fit the file");
    }
    String header = new String(all, start, (int) headerLength, StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new IbreidException(file + ": .npy header without descr, fortran_order and shape: " + header.trim());
    }
    if (f.group(1).equals("True")) {
      throw new IbreidException(file + ": Fortran-ordered .npy arrays are not read (save with C order)");
    }
    DType dtype = dtype(d.group(2), Integer.parseInt(d.group(3)));
    if (dtype == null) {
      throw new IbreidException(file + ": .npy dtype " + d.group(1) + d.group(2) + d.group(3) + " is not read");
    }
    String dims = s.group(1).trim();
    String[] parts = dims.isEmpty() ? new String[0] : dims.split("\\s*,\\s*");
    int rank = parts.length > 0 && parts[parts.length - 1].isEmpty() ? parts.length - 1 : parts.length;
    long[] shape = new long[rank];
    try {
      for (int i = 0; i < rank; i++) {
        shape[i] = Long.parseLong(parts[i].replace("L", ""));
      }
      ByteBuffer data = ByteBuffer.wrap(all, start + (int) headerLength, all.length - start - (int) headerLength)
          .slice().order(d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      long numel = Tensor.numel(shape);
      if (numel > data.remaining() / dtype.size()) {
        throw new IbreidException(file + ": shape " + Tensor.shapeString(shape) + " needs " + numel + " elements, "
            + "the file holds " + data.remaining() / dtype.size());
      }
      return Tensor.fromStorage(dtype, shape, null, 0, data);
    } catch (IllegalArgumentException e) {
      throw new IbreidException(file + ": .npy shape (" + dims + "): " + e.getMessage());
    }
  }

  private static DType dtype(String kind, int bytes) {
    return switch (kind + bytes) {
      case "f8" -> DType.F64;
      case "f4" -> DType.F32;
      case "f2" -> DType.F16;
      case "i8" -> DType.I64;
      case "i4" -> DType.I32;
      case "i2" -> DType.I16;
      case "i1" -> DType.I8;
      case "u1" -> DType.U8;
      case "b1" -> DType.BOOL;
      default -> null;
    };
  }
}
