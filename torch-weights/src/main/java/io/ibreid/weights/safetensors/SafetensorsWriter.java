package io.ibreid.weights.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ibreid.core.IbreidException;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.weights.DType;
import io.ibreid.weights.Tensor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes tensors as a safetensors file ({@link SafetensorsReader}'s layout): the header length (u64 little-endian),
 * the JSON header padded with spaces to a multiple of 8, then each tensor row-major little-endian, back to back.
 * Element types as read: float64 stays F64, the other floating types are written as F32 (float16 and bfloat16 were
 * widened exactly when read), integer and boolean types as I64. The file is written to a temporary file in the same
 * folder and moved into place, so a failed write leaves nothing at {@code file} (and a replaced file intact).
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafetensorsWriter() {}

  /** The type a tensor of {@code t} is written as. */
  static DType written(DType t) {
    return t == DType.F64 ? DType.F64 : t.isFloating() ? DType.F32 : DType.I64;
  }

  /**
   * Writes {@code tensors} in their map order, with {@code metadata} as the header's {@code __metadata__} (string
   * values, as the format asks).
   *
   * @throws IbreidException (one line naming the file) when {@code file} exists or cannot be written
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
    write(file, tensors, metadata, false);
  }

  /**
   * As {@link #write(Path, Map, Map)}; with {@code replace} an existing {@code file} is replaced (atomically: it
   * holds the old bytes until the new file is complete, and keeps them if the write fails). The file is written to
   * a hidden temporary sibling, synced and renamed into place ({@link AtomicFiles}).
   *
   * @throws IbreidException (one line naming the file) when {@code file} is a folder, exists and {@code replace} is
   *     false, or cannot be written
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, boolean replace) {
    if (Files.isDirectory(file)) {
      throw new IbreidException("cannot write " + file + ": it is a folder; expected a file name such as "
          + "backbone.safetensors");
    }
    if (!replace && Files.exists(file)) {
      throw new IbreidException(file + " already exists; not overwritten (remove it or choose another name)");
    }
    ObjectNode header = JSON.createObjectNode();
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      DType type = written(t.dtype());
      long bytes = (long) t.numel() * type.size();
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", type.name());
      ArrayNode shape = entry.putArray("shape");
      for (long s : t.shape()) {
        shape.add(s);
      }
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode m = header.putObject("__metadata__");
      metadata.forEach(m::put);
    }
    byte[] text;
    try {
      text = JSON.writeValueAsBytes(header);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int padded = (text.length + 7) / 8 * 8;
    Path tmp = null;
    try {
      tmp = AtomicFiles.temporarySibling(file);
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), 1 << 20)) {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(text);
        out.write(" ".repeat(padded - text.length).getBytes(StandardCharsets.US_ASCII));
        for (Tensor t : tensors.values()) {
          out.write(bytes(t));
        }
      }
      AtomicFiles.sync(tmp);
      if (!replace && Files.exists(file)) { // appeared while this one was written
        throw new IbreidException(file + " already exists; not overwritten (remove it or choose another name)");
      }
      AtomicFiles.move(tmp, file);
      tmp = null;
    } catch (IOException e) {
      throw AtomicFiles.failure(file, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write already failed; its message is the one to show
        }
      }
    }
  }

  private static byte[] bytes(Tensor t) {
    DType type = written(t.dtype());
    ByteBuffer b = ByteBuffer.allocate(t.numel() * type.size()).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case F64 -> b.asDoubleBuffer().put(t.toDoubleArray());
      case F32 -> b.asFloatBuffer().put(t.toFloatArray());
      default -> b.asLongBuffer().put(t.toLongArray());
    }
    return b.array();
  }
}
