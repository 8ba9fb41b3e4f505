package io.ibreid.eval.features;

import io.ibreid.core.IbreidException;
import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files holding a 2-d little-endian float32 matrix in C order ({@code np.save(f, a.astype(np.float32))}),
 * rows = images. Reading memory-maps the file (format versions 1.0, 2.0 and 3.0); writing produces version 1.0 with
 * the data aligned to 64 bytes, written atomically.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** Longest header read: numpy writes a few hundred bytes. */
  private static final int MAX_HEADER = 65_536;

  private Npy() {}

  /** Memory-maps a float32 matrix; every malformed input fails with one line naming the file. */
  public static FeatureMatrix read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, MAX_HEADER + 12)).order(ByteOrder.LITTLE_ENDIAN);
      while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
        // fill
      }
      head.flip();
      if (head.remaining() < 10) {
        throw bad(file, "is too short to be a .npy file");
      }
      for (byte b : MAGIC) {
        if (head.get() != b) {
          throw bad(file, "is not a .npy file (no \\x93NUMPY magic); save features with numpy.save");
        }
      }
      int major = head.get() & 0xff;
      head.get(); // minor
      long headerLen;
      if (major == 1) {
        headerLen = head.getShort() & 0xffff;
      } else if (major == 2 || major == 3) {
        headerLen = head.getInt() & 0xffffffffL;
      } else {
        throw bad(file, "has .npy format version " + major + ", expected 1, 2 or 3");
      }
      if (headerLen > MAX_HEADER) {
        throw bad(file, "declares a .npy header of " + headerLen + " bytes; expected at most " + MAX_HEADER);
      }
      long dataOffset = head.position() + headerLen;
      if (dataOffset > head.limit()) {
        throw bad(file, "has a truncated .npy header");
      }
      byte[] hb = new byte[(int) headerLen];
      head.get(hb);
      String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      String descr = group(DESCR, header, file, "descr");
      if (!descr.equals("<f4") && !descr.equals("=f4")) {
        throw bad(file, "holds dtype '" + descr + "', expected float32 '<f4' (use a.astype(numpy.float32))");
      }
      if (group(FORTRAN, header, file, "fortran_order").equals("True")) {
        throw bad(file, "is in Fortran order, expected C order (use numpy.ascontiguousarray)");
      }
      String[] dims = group(SHAPE, header, file, "shape").replace(" ", "").split(",");
      if (dims.length != 2 || dims[1].isEmpty()) {
        throw bad(file, "has shape (" + String.join(",", dims) + "), expected a 2-d matrix (images x features)");
      }
      long rows = Long.parseLong(dims[0]);
      long cols = Long.parseLong(dims[1]);
      if (rows < 0 || cols < 0) {
        throw bad(file, "has shape (" + rows + ", " + cols + ") in its .npy header; expected sizes >= 0");
      }
      long bytes;
      try {
        bytes = Math.multiplyExact(Math.multiplyExact(rows, cols), (long) Float.BYTES);
      } catch (ArithmeticException e) {
        bytes = Long.MAX_VALUE;
      }
      if (bytes > Integer.MAX_VALUE) {
        throw bad(file, "has shape (" + rows + ", " + cols + "), " + (bytes == Long.MAX_VALUE ? "more than "
            + Long.MAX_VALUE + " bytes" : bytes + " bytes") + " of float32 (over 2 GiB); split it into parts");
      }
      if (size - dataOffset != bytes) {
        throw bad(file, "has " + (size - dataOffset) + " data bytes, its shape (" + rows + ", " + cols
            + ") needs " + bytes + " (truncated or corrupt file)");
      }
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, dataOffset, bytes);
      FloatBuffer floats = map.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
        FeatureMatrix copy = FeatureMatrix.allocate((int) rows, (int) cols);
        copy.buffer().put(floats);
        return copy;
      }
      return new FeatureMatrix((int) rows, (int) cols, floats);
    } catch (NoSuchFileException e) {
      throw new IbreidException(file + " does not exist");
    } catch (NumberFormatException e) {
      throw bad(file, "has an unreadable shape in its .npy header");
    } catch (IOException e) {
      throw new IbreidException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code m} as a version 1.0 float32 {@code .npy} file: a temporary sibling, then an atomic rename; a failure
   * (a full disk, a folder in the way) removes the temporary file and names {@code file}.
   */
  public static void write(Path file, FeatureMatrix m) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IbreidException("cannot write " + file + ": it is a folder; expected a file name");
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + m.rows() + ", " + m.dim() + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    Path tmp;
    try {
      tmp = AtomicFiles.temporarySibling(file);
    } catch (IOException e) {
      throw AtomicFiles.failure(file, e);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
      head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
      head.put(header.getBytes(StandardCharsets.ISO_8859_1)).flip();
      writeFully(ch, head);
      ByteBuffer block = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      FloatBuffer src = m.buffer();
      src.limit(m.rows() * m.dim());
      while (src.hasRemaining()) {
        block.clear();
        FloatBuffer view = block.asFloatBuffer();
        int n = Math.min(view.capacity(), src.remaining());
        FloatBuffer part = src.slice().limit(n);
        view.put(part);
        src.position(src.position() + n);
        block.limit(n * Float.BYTES);
        writeFully(ch, block);
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw AtomicFiles.failure(file, e);
    } catch (RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      AtomicFiles.move(tmp, file);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw AtomicFiles.failure(file, e);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static String group(Pattern p, String header, Path file, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw bad(file, "has no '" + key + "' in its .npy header");
    }
    return m.group(1);
  }

  private static IbreidException bad(Path file, String what) {
    return new IbreidException(file + " " + what);
  }
}
