package io.ibreid.weights.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ibreid.core.IbreidException;
import io.ibreid.weights.DType;
import io.ibreid.weights.StateDict;
import io.ibreid.weights.Tensor;
import io.ibreid.weights.WeightsFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file: an unsigned 64-bit little-endian header length N, N bytes of JSON
 * {@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}, then the
 * data, each tensor row-major little-endian at {@code [begin, end)} of the data section. Every length, shape and
 * offset is checked (without overflow) against the file's size before its bytes are allocated.
 */
public final class SafetensorsReader {
  /** The format's own limit on the header. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private SafetensorsReader() {}

  /** @throws IbreidException with one line naming the file when it is not a readable safetensors file */
  public static StateDict read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      JsonNode header = header(file, ch);
      long n = read(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      long size = ch.size();
      long dataStart = 8 + n;
      long dataSize = size - dataStart;
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().equals("__metadata__")) {
          tensors.put(e.getKey(), tensor(file, ch, e.getKey(), e.getValue(), dataStart, dataSize));
        }
      }
      if (tensors.isEmpty()) {
        throw new IbreidException(file + ": safetensors header lists no tensors");
      }
      return new StateDict(file, WeightsFormat.SAFETENSORS, tensors, List.of());
    } catch (IOException e) {
      throw new IbreidException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * The header's {@code __metadata__} (string to string, in the file's order; empty when there is none), without
   * reading the tensors.
   *
   * @throws IbreidException with one line naming the file when it is not a readable safetensors file or its
   *     metadata is not an object of strings
   */
  public static Map<String, String> metadata(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      JsonNode m = header(file, ch).get("__metadata__");
      Map<String, String> out = new LinkedHashMap<>();
      if (m == null) {
        return out;
      }
      if (!m.isObject()) {
        throw new IbreidException(file + ": safetensors __metadata__ is not a JSON object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw new IbreidException(file + ": safetensors __metadata__ value of " + e.getKey() + " is "
              + e.getValue() + "; expected a string");
        }
        out.put(e.getKey(), e.getValue().asText());
      }
      return out;
    } catch (IOException e) {
      throw new IbreidException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** The checked header length and the header as a JSON object. */
  private static JsonNode header(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw new IbreidException(file + ": " + size + " bytes, too short for a safetensors header");
    }
    long n = read(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 0 || n > size - 8 || n > MAX_HEADER_BYTES) {
      throw new IbreidException(file + ": safetensors header of " + Long.toUnsignedString(n) + " bytes points "
          + "past the end of the file (" + size + " bytes)" + (n > MAX_HEADER_BYTES ? " or exceeds 100 MB" : ""));
    }
    JsonNode header;
    try {
      header = JSON.readTree(new String(read(ch, 8, (int) n).array(), StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IbreidException(file + ": safetensors header is not valid JSON ("
          + e.getOriginalMessage() + ")", e);
    }
    if (header == null || !header.isObject()) {
      throw new IbreidException(file + ": safetensors header is not a JSON object");
    }
    return header;
  }

  private static Tensor tensor(Path file, FileChannel ch, String name, JsonNode spec, long dataStart, long dataSize)
      throws IOException {
    String at = file + ": tensor " + name;
    JsonNode dtypeNode = spec.get("dtype");
    DType dtype = dtypeNode != null && dtypeNode.isTextual() ? DType.ofSafetensors(dtypeNode.asText()) : null;
    if (dtype == null) {
      throw new IbreidException(at + " has dtype " + dtypeNode + "; expected one of F64, F32, F16, BF16, I64, I32, "
          + "I16, I8, U8, BOOL");
    }
    long[] shape = integers(at, "shape", spec.get("shape"), -1);
    long[] offsets = integers(at, "data_offsets", spec.get("data_offsets"), 2);
    long begin = offsets[0];
    long end = offsets[1];
    if (begin > end || end > dataSize) {
      throw new IbreidException(at + " has data_offsets [" + begin + ", " + end + "] past the end of the data ("
          + dataSize + " bytes)");
    }
    long numel;
    try {
      numel = Tensor.numel(shape);
      if (Math.multiplyExact(numel, dtype.size()) != end - begin) {
        throw new IbreidException(at + " of shape " + Tensor.shapeString(shape) + " needs " + numel * dtype.size()
            + " bytes, its data_offsets span " + (end - begin));
      }
    } catch (ArithmeticException | IllegalArgumentException e) {
      throw new IbreidException(at + " has shape " + Tensor.shapeString(shape) + " of more than 2^63 bytes");
    }
    if (numel > Tensor.MAX_ELEMENTS) {
      throw new IbreidException(at + " has " + numel + " elements, more than one Java array holds");
    }
    ByteBuffer bytes = read(ch, dataStart + begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
    return Tensor.fromStorage(dtype, shape, null, 0, bytes);
  }

  /** A JSON array of non-negative integers (of {@code length} elements unless -1). */
  private static long[] integers(String at, String field, JsonNode node, int length) {
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw new IbreidException(at + " has " + field + " " + node + "; expected an array of "
          + (length >= 0 ? length + " " : "") + "non-negative integers");
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
        throw new IbreidException(at + " has " + field + " " + node + "; expected non-negative 64-bit integers");
      }
      out[i] = v.asLong();
    }
    return out;
  }

  private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        throw new IOException("the file ends before byte " + (position + length));
      }
    }
    return b.flip();
  }
}
