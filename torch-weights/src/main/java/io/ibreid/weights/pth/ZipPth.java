package io.ibreid.weights.pth;

import io.ibreid.core.IbreidException;
import io.ibreid.weights.StateDict;
import io.ibreid.weights.WeightsFormat;
import io.ibreid.weights.pth.Pickled.StorageRef;
import io.ibreid.weights.pth.Pickled.TensorRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * PyTorch's zip format: {@code NAME/data.pkl} pickles the object with storages as persistent ids
 * {@code ('storage', type, key, location, numel)}; storage {@code key} is the entry {@code NAME/data/key}, its
 * elements raw in the byte order of {@code NAME/byteorder} (little-endian when absent).
 */
final class ZipPth {
  /** A stored entry can hold no more than the file; deflate cannot expand beyond about 1032 : 1. */
  private static final long MAX_DEFLATE_RATIO = 1100;

  private ZipPth() {}

  static StateDict read(Path file) throws IOException {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new IbreidException(file + ": truncated or damaged zip archive (" + e.getMessage() + ")", e);
    }
    try (zip) {
      String prefix = archivePrefix(file, zip);
      ByteOrder order = byteOrder(file, zip, prefix);
      Map<String, StorageRef> storages = new HashMap<>();
      ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
      Object root;
      try (InputStream in = new BufferedInputStream(zip.getInputStream(pkl), 1 << 16)) {
        long limit = pkl.getSize() >= 0 ? Math.min(pkl.getSize(), PthReader.MAX_PICKLE_BYTES)
            : PthReader.MAX_PICKLE_BYTES;
        root = new TorchUnpickler(pid -> PthReader.storage(pid, storages)).load(new BoundedInput(in, limit));
      }
      List<String> skipped = new ArrayList<>();
      Map<String, TensorRef> refs = PthReader.flatten(root, skipped);
      Map<StorageRef, ByteBuffer> bytes = new HashMap<>();
      long fileSize = Files.size(file);
      for (StorageRef s : PthReader.storagesOf(refs)) {
        bytes.put(s, s.root() != null ? PthReader.view(s, bytes.get(s.root()))
            : read(file, zip, prefix + "data/" + s.key(), s, fileSize).order(order));
      }
      return PthReader.assemble(file, WeightsFormat.PTH_ZIP, refs, skipped, bytes);
    }
  }

  /** The folder holding data.pkl ({@code archive/} since PyTorch 1.13's default, the file's stem before). */
  private static String archivePrefix(Path file, ZipFile zip) {
    String prefix = null;
    boolean torchScript = false;
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      String name = e.nextElement().getName();
      int slash = name.indexOf('/');
      String rest = slash < 0 ? name : name.substring(slash + 1);
      if (rest.equals("data.pkl") && prefix == null) {
        prefix = name.substring(0, slash + 1);
      }
      torchScript |= rest.equals("constants.pkl") || rest.startsWith("code/");
    }
    if (torchScript) {
      throw new IbreidException(file + ": a TorchScript archive (torch.jit.save), not a state dict: save "
          + "model.state_dict() with torch.save instead");
    }
    if (prefix == null) {
      throw new IbreidException(file + ": a zip archive without data.pkl, not a PyTorch file");
    }
    return prefix;
  }

  private static ByteOrder byteOrder(Path file, ZipFile zip, String prefix) throws IOException {
    ZipEntry e = zip.getEntry(prefix + "byteorder");
    if (e == null) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    String text;
    try (InputStream in = zip.getInputStream(e)) {
      text = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
    }
    return switch (text) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default -> throw new IbreidException(file + ": byteorder entry says '" + text + "'; expected little or big");
    };
  }

  /** One storage's bytes, its size checked against the entry and the file before anything is allocated. */
  private static ByteBuffer read(Path file, ZipFile zip, String name, StorageRef s, long fileSize)
      throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new IbreidException(file + ": storage " + s.key() + " has no entry " + name);
    }
    long expected;
    try {
      expected = Math.multiplyExact(s.numel(), s.dtype().size());
    } catch (ArithmeticException x) {
      expected = Long.MAX_VALUE;
    }
    String what = file + ": storage " + s.key() + " (" + s.numel() + " " + s.dtype().torchName() + " elements, "
        + expected + " bytes)";
    if (e.getSize() >= 0 && e.getSize() != expected) {
      throw new IbreidException(what + " but its entry " + name + " holds " + e.getSize() + " bytes");
    }
    long bound = e.getMethod() == ZipEntry.STORED ? fileSize
        : Math.min(Long.MAX_VALUE / MAX_DEFLATE_RATIO, Math.max(e.getCompressedSize(), 0)) * MAX_DEFLATE_RATIO;
    if (expected > bound || expected > Integer.MAX_VALUE - 8) {
      throw new IbreidException(what + ": larger than " + (expected > bound ? "its entry can hold"
          : "one Java array") + "; the file is damaged or the storage cannot be read");
    }
    byte[] data = new byte[(int) expected];
    int n;
    try (InputStream in = zip.getInputStream(e)) {
      n = in.readNBytes(data, 0, data.length);
    } catch (ZipException x) {
      throw new IbreidException(what + ": damaged entry (" + x.getMessage() + ")", x);
    }
    if (n != expected) {
      throw new IbreidException(what + " but its entry ends after " + n + " bytes");
    }
    return ByteBuffer.wrap(data);
  }
}
