package io.ibreid.weights.pth;

import io.ibreid.core.IbreidException;
import io.ibreid.weights.StateDict;
import io.ibreid.weights.WeightsFormat;
import io.ibreid.weights.pth.Pickled.StorageRef;
import io.ibreid.weights.pth.Pickled.TensorRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's legacy format, one stream of five pickles and the storages: the magic number
 * {@code 0x1950a86a20f9469cfc6c}, the protocol version 1001, a system-info dictionary, the object (storages as
 * persistent ids {@code ('storage', type, key, location, numel, view)}), the list of storage keys; then for each
 * key in that order its element count (int64) and its elements, both little-endian.
 */
final class LegacyPth {
  static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
  static final int PROTOCOL = 1001;

  private LegacyPth() {}

  static StateDict read(Path file) throws IOException {
    long size = Files.size(file);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      BoundedInput all = new BoundedInput(raw, size);
      Map<String, StorageRef> storages = new HashMap<>();
      TorchUnpickler unpickler = new TorchUnpickler(pid -> PthReader.storage(pid, storages));
      Object magic = next(unpickler, all);
      if (!MAGIC.equals(magic instanceof BigInteger b ? b : null)) {
        throw new IbreidException(file + ": not a PyTorch file: its first pickle holds " + Rebuild.describe(magic)
            + ", the legacy format starts with the magic number 0x" + MAGIC.toString(16));
      }
      Object protocol = next(unpickler, all);
      if (!(protocol instanceof Integer p) || p != PROTOCOL) {
        throw new IbreidException(file + ": legacy protocol version " + Rebuild.describe(protocol) + "; expected "
            + PROTOCOL);
      }
      next(unpickler, all); // system info: byte order and C type sizes of the writer; storages are little-endian
      Object root = next(unpickler, all);
      Object keys = next(unpickler, all);
      if (!(keys instanceof List<?> keyList)) {
        throw new IbreidException(file + ": the storage key list is " + Rebuild.describe(keys) + ", not a list");
      }
      List<String> skipped = new ArrayList<>();
      Map<String, TensorRef> refs = PthReader.flatten(root, skipped);
      Map<StorageRef, ByteBuffer> bytes = new HashMap<>();
      for (Object k : keyList) {
        String key = String.valueOf(k);
        StorageRef s = storages.get(key);
        if (s == null) {
          throw new IbreidException(file + ": storage " + key + " is listed but no tensor names it");
        }
        bytes.put(s, storage(file, all, s));
      }
      for (StorageRef s : PthReader.storagesOf(refs)) {
        if (s.root() != null) {
          if (!bytes.containsKey(s.root())) {
            throw new IbreidException(file + ": storage " + s.root().key() + " is named but not in the file");
          }
          bytes.put(s, PthReader.view(s, bytes.get(s.root())));
        } else if (!bytes.containsKey(s)) {
          throw new IbreidException(file + ": storage " + s.key() + " is named but not in the file");
        }
      }
      return PthReader.assemble(file, WeightsFormat.PTH_LEGACY, refs, skipped, bytes);
    }
  }

  /** The next pickle of the stream, read through a window of at most MAX_PICKLE_BYTES. */
  private static Object next(TorchUnpickler unpickler, BoundedInput all) throws IOException {
    BoundedInput window = new BoundedInput(all, Math.min(all.remaining(), PthReader.MAX_PICKLE_BYTES));
    return unpickler.load(window);
  }

  /** One storage: its int64 element count, checked against the persistent id and the bytes left, then its data. */
  private static ByteBuffer storage(Path file, BoundedInput in, StorageRef s) throws IOException {
    byte[] count = in.readNBytes(8);
    long at = in.position();
    if (count.length < 8) {
      throw new IbreidException(file + ": truncated: storage " + s.key() + " missing at byte " + at);
    }
    long numel = ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (numel != s.numel()) {
      throw new IbreidException(file + ": storage " + s.key() + " holds " + numel + " elements, its persistent id "
          + "says " + s.numel());
    }
    long bytes = numel * s.dtype().size(); // numel == s.numel() came from a checked long; fits after this check
    if (numel > in.remaining() / s.dtype().size()) {
      throw new IbreidException(file + ": truncated: storage " + s.key() + " needs " + numel + " "
          + s.dtype().torchName() + " elements at byte " + at + ", the file ends " + in.remaining()
          + " bytes later");
    }
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IbreidException(file + ": storage " + s.key() + " of " + bytes + " bytes is larger than one Java "
          + "array");
    }
    byte[] data = new byte[(int) bytes];
    int n = in.readNBytes(data, 0, data.length);
    if (n != bytes) {
      throw new IbreidException(file + ": truncated: storage " + s.key() + " ends after " + n + " of " + bytes
          + " bytes");
    }
    return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
  }
}
