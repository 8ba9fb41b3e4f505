package io.ibreid.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.ibreid.core.IbreidException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that must be refused: each gives one line naming the file; nothing else is thrown, nothing is written. */
class BadFilesTest {
  @TempDir
  Path dir;

  /** Protocol 2: GLOBAL os.system, the argument tuple ('echo',), REDUCE, STOP. */
  static final byte[] OS_SYSTEM = bytes("\u0080\u0002cos\nsystem\nX\u0004\u0000\u0000\u0000echo\u0085R.");

  static byte[] bytes(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** The legacy stream's first three pickles: the magic number, protocol 1001 and an empty system-info dict. */
  static byte[] legacyHeader() {
    byte[] magic = new java.math.BigInteger("1950a86a20f9469cfc6c", 16).toByteArray(); // big-endian, 10 bytes
    byte[] le = new byte[magic.length];
    for (int i = 0; i < magic.length; i++) {
      le[i] = magic[magic.length - 1 - i];
    }
    return concat(bytes("\u0080\u0002\u008a" + (char) le.length), le, bytes("."),
        bytes("\u0080\u0002M\u00e9\u0003."), bytes("\u0080\u0002}."));
  }

  Path write(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  Path zip(String name, Map<String, byte[]> entries) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream f = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(f)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setMethod(ZipEntry.STORED); // as torch.save writes them
        CRC32 crc = new CRC32();
        crc.update(e.getValue());
        entry.setCrc(crc.getValue());
        entry.setSize(e.getValue().length);
        z.putNextEntry(entry);
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return p;
  }

  static String refusal(Path file) {
    try {
      StateDict.read(file);
    } catch (IbreidException e) {
      assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
      return e.getMessage().substring(file.toString().length() + 2);
    }
    return fail("read " + file);
  }

  @Test
  void aPickleNamingAnythingElseIsRefusedByName() throws IOException {
    Path zipped = zip("model.pth", Map.of("archive/data.pkl", OS_SYSTEM));
    assertThat(refusal(zipped)).isEqualTo("refuses to load global os.system: only PyTorch tensor state dicts are read");
    Path legacy = write("legacy.pth", concat(legacyHeader(), OS_SYSTEM));
    assertThat(refusal(legacy)).isEqualTo("refuses to load global os.system: only PyTorch tensor state dicts are read");
    // the same global as protocol 4's STACK_GLOBAL: 'os' and 'system' pushed as strings
    byte[] stackGlobal = bytes("\u0080\u0004\u008c\u0002os\u008c\u0006system\u0093X\u0004\u0000\u0000\u0000echo"
        + "\u0085R.");
    assertThat(refusal(zip("stack.pth", Map.of("archive/data.pkl", stackGlobal))))
        .isEqualTo("refuses to load global os.system: only PyTorch tensor state dicts are read");
  }

  @Test
  void aWholePickledModelAndATorchScriptArchiveAreRefusedWithTheRemedy() {
    assertThat(refusal(Fixtures.path("whole-model.pth")))
        .startsWith("refuses to load global torch.nn.modules.")
        .endsWith(": only PyTorch tensor state dicts are read (a whole pickled model: save model.state_dict() with "
            + "torch.save instead)");
    assertThat(refusal(Fixtures.path("torchscript.pt"))).isEqualTo("a TorchScript archive (torch.jit.save), not a "
        + "state dict: save model.state_dict() with torch.save instead");
  }

  @Test
  void aTruncatedZipIsOneLine() throws IOException {
    byte[] whole = Files.readAllBytes(Fixtures.path("resnet50-w4.pth"));
    Path half = write("half.pth", Arrays.copyOf(whole, whole.length / 2));
    assertThat(refusal(half)).startsWith("truncated or damaged zip archive (");
  }

  @Test
  void aTruncatedLegacyStreamSaysWhereItEnds() throws IOException {
    byte[] whole = Files.readAllBytes(Fixtures.path("resnet50-w4-legacy.pth"));
    Path cut = write("cut.pth", Arrays.copyOf(whole, whole.length - 1000));
    assertThat(refusal(cut)).matches("truncated: storage \\d+ needs \\d+ float32 elements at byte \\d+, the file "
        + "ends \\d+ bytes later");
  }

  @Test
  void theWrongMagicNumberIsNotAPyTorchFile() throws IOException {
    Path p = write("five.pth", bytes("\u0080\u0002K\u0005."));
    assertThat(refusal(p)).isEqualTo("not a PyTorch file: its first pickle holds Integer 5, the legacy format "
        + "starts with the magic number 0x1950a86a20f9469cfc6c");
  }

  @Test
  void aTensorLargerThanItsStorageIsRefused() {
    // written by make_fixtures.py; torch.load refuses it as well
    assertThat(refusal(Fixtures.path("storage-too-small.pth"))).isEqualTo("tensor weight does not fit its storage "
        + "1000: shape [4, 4] with strides [4, 1] at offset 0 needs 16 storage elements, the storage holds 8");
  }

  @Test
  void aStorageEntryOfTheWrongSizeIsRefused() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(Fixtures.path("views.pth").toFile())) {
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        byte[] data = z.getInputStream(entry).readAllBytes();
        entries.put(entry.getName(), entry.getName().endsWith("data/0") ? Arrays.copyOf(data, 8) : data);
      }
    }
    assertThat(refusal(zip("short-entry.pth", entries)))
        .matches("storage 0 \\(\\d+ \\w+ elements, \\d+ bytes\\) but its entry views/data/0 holds 8 bytes");
  }

  /**
   * data.pkl of {@code {'w': _rebuild_tensor_v2(storage '0' of `numel` floats, 0, (size,), (0,), False, {})}}:
   * one element expanded to {@code size} by a zero stride.
   */
  static byte[] expanded(int numel, int size) {
    return concat(bytes("\u0080\u0002}(X\u0001\u0000\u0000\u0000wctorch._utils\n_rebuild_tensor_v2\n(("
        + "X\u0007\u0000\u0000\u0000storagectorch\nFloatStorage\nX\u0001\u0000\u0000\u00000"
        + "X\u0003\u0000\u0000\u0000cpu"), binint(numel), bytes("tQK\u0000"), binint(size),
        bytes("\u0085K\u0000\u0085\u0089}tRu."));
  }

  static byte[] binint(int v) {
    return ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put((byte) 'J').putInt(v).array();
  }

  Path expandedZip(String name, int size, ByteOrder order) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("archive/data.pkl", expanded(1, size));
    entries.put("archive/data/0", ByteBuffer.allocate(4).order(order).putFloat(2.5f).array());
    if (order == ByteOrder.BIG_ENDIAN) {
      entries.put("archive/byteorder", bytes("big"));
    }
    return zip(name, entries);
  }

  Path expandedZip(String name, int size) throws IOException {
    return expandedZip(name, size, ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void aZeroStrideRepeatsItsElementButNotWithoutBound() throws IOException {
    StateDict small = StateDict.read(expandedZip("expanded.pth", 3));
    assertThat(small.get("w").toFloatArray()).containsExactly(2.5f, 2.5f, 2.5f);
    // the same from a big-endian writer (its byteorder entry says so)
    StateDict big = StateDict.read(expandedZip("big-endian.pth", 2, ByteOrder.BIG_ENDIAN));
    assertThat(big.get("w").toFloatArray()).containsExactly(2.5f, 2.5f);
    assertThat(refusal(expandedZip("huge.pth", 100_000_000))).isEqualTo("its tensors hold 100000000 elements over "
        + "storages of 1: more than 8 times their storages plus 16777216 (shared storages, zero strides) is not read");
  }

  @Test
  void lengthsPastTheEndAreRefusedBeforeAllocating() throws IOException {
    Path bytes4 = zip("b4.pth", Map.of("archive/data.pkl", bytes("\u0080\u0002B\u00ff\u00ff\u00ff\u007f.")));
    assertThat(refusal(bytes4)).isEqualTo("a string or number of 2147483647 bytes runs past the end of the pickle "
        + "(1 bytes left)");
    Path negative = zip("neg.pth", Map.of("archive/data.pkl", bytes("\u0080\u0002X\u00ff\u00ff\u00ff\u00ff.")));
    assertThat(refusal(negative)).startsWith("a string or number of 18446744073709551615 bytes runs past the end");
    Path bytes8 = write("b8.pth", concat(legacyHeader(), bytes("\u0080\u0004\u008e\u0000\u0000\u0000\u0000\u0000"
        + "\u0000\u0000\u0040.")));
    assertThat(refusal(bytes8)).isEqualTo("a string or number of 4611686018427387904 bytes runs past the end of the "
        + "pickle (1 bytes left)");
  }

  @Test
  void safetensorsHeadersPointingPastTheEndAreRefused() throws IOException {
    assertThat(refusal(safetensors("long-header.safetensors", "{}", 1000, 0)))
        .isEqualTo("safetensors header of 1000 bytes points past the end of the file (10 bytes)");
    assertThat(refusal(safetensors("huge-header.safetensors", "{}", -2, 0)))
        .isEqualTo("safetensors header of 18446744073709551614 bytes points past the end of the file (10 bytes)");
    String past = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
    assertThat(refusal(safetensors("past.safetensors", past, -1, 8)))
        .isEqualTo("tensor w has data_offsets [0, 16] past the end of the data (8 bytes)");
    String lying = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}";
    assertThat(refusal(safetensors("lying.safetensors", lying, -1, 16)))
        .isEqualTo("tensor w of shape [3] needs 12 bytes, its data_offsets span 16");
    String huge = "{\"w\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,16]}}";
    assertThat(refusal(safetensors("huge.safetensors", huge, -1, 16)))
        .isEqualTo("tensor w has shape [4294967296, 4294967296] of more than 2^63 bytes");
    String fp8 = "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}";
    assertThat(refusal(safetensors("fp8.safetensors", fp8, -1, 4))).isEqualTo("tensor w has dtype \"F8_E4M3\"; "
        + "expected one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL");
    assertThat(refusal(safetensors("not-json.safetensors", "{\"w\": [", -1, 0)))
        .startsWith("safetensors header is not valid JSON (");
  }

  /** A safetensors file with this header (length as written, or the true length for -1) and data bytes. */
  Path safetensors(String name, String header, long length, int data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(length == -1 ? h.length : length).put(h);
    return write(name, b.array());
  }

  @Test
  void otherFilesAreNotWeights() throws IOException {
    assertThat(refusal(write("empty.pth", new byte[0]))).isEqualTo("not a PyTorch .pth or .safetensors file "
        + "(empty; expected a zip archive, a pickle stream or a safetensors header)");
    assertThat(refusal(write("page.pth", bytes("<!DOCTYPE html>")))).isEqualTo("not a PyTorch .pth or .safetensors "
        + "file (starts with 3c 21 44 4f 43 54 59 50; expected a zip archive, a pickle stream or a safetensors "
        + "header)");
    assertThat(refusal(zip("other.zip", Map.of("readme.txt", bytes("hello")))))
        .isEqualTo("a zip archive without data.pkl, not a PyTorch file");
    assertThatThrownBy(() -> Npy.read(Fixtures.path("views.pth"))).isInstanceOf(IbreidException.class)
        .hasMessageEndingWith("views.pth: not a .npy file (no \\x93NUMPY magic)");
  }

  /**
   * Every truncation of small files of each format, and random byte changes to them, read or give one line: never
   * another exception, never a large allocation (the test JVM has 3 GB; each read here takes milliseconds).
   */
  @Test
  void damagedFilesNeverThrowAnythingButOneLine() throws IOException {
    Random random = new Random(25);
    int read = 0;
    int refused = 0;
    for (String name : new String[] {"views-legacy.pth", "views.safetensors", "views.pth", "resnet18-w2-v0.1.pth"}) {
      byte[] whole = Files.readAllBytes(Fixtures.path(name));
      int step = Math.max(1, whole.length / 120);
      for (int n = 0; n < whole.length; n += step) {
        if (tryRead(write("cut-" + name, Arrays.copyOf(whole, n)))) {
          read++;
        } else {
          refused++;
        }
      }
      int region = name.endsWith(".pth") && !name.equals("views.pth") ? Math.min(whole.length, 1600) : whole.length;
      for (int i = 0; i < 150; i++) {
        byte[] damaged = whole.clone();
        for (int k = 0; k <= random.nextInt(3); k++) {
          damaged[random.nextInt(region)] = (byte) random.nextInt(256);
        }
        if (tryRead(write("damaged-" + name, damaged))) {
          read++;
        } else {
          refused++;
        }
      }
    }
    assertThat(refused).isGreaterThan(500);
    assertThat(read).isPositive(); // changes inside the tensors' bytes still read
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(f -> f.startsWith("cut-") || f.startsWith("damaged-"));
    }
  }

  static boolean tryRead(Path file) {
    try {
      StateDict.read(file);
      return true;
    } catch (IbreidException e) {
      assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n");
      return false;
    }
  }
}
