package io.ibreid.eval.features;

import static io.ibreid.eval.features.FeatureFilesTest.assertOneLine;
import static io.ibreid.eval.features.FeatureFilesTest.catchIt;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sizes read from a file are checked with overflow-safe arithmetic before they are trusted, and a CSV is read with
 * bounds (issue 29): a .npy header whose shape overflows, a CSV of far more rows than its .npy, a record that never
 * ends, duplicate columns; and every path extract writes reads back unchanged.
 */
class BoundedInputTest {
  @TempDir
  Path dir;

  /** A version 1.0 .npy header with {@code shape} and no data. */
  static Path header(Path file, String shape) throws IOException {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    String h = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + h.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length());
    b.put(h.getBytes(StandardCharsets.ISO_8859_1));
    Files.write(file, b.array());
    return file;
  }

  @Test
  void aShapeWhoseSizeOverflowsIsRefused() throws Exception {
    // 40 x 2^62 floats x 4 bytes is 0 modulo 2^64: it used to pass as "needs 0 bytes" and be scored
    Path f = header(dir.resolve("huge.npy"), "(40, 4611686018427387904)");
    assertOneLine(catchIt(() -> Npy.read(f)), "huge.npy has shape (40, 4611686018427387904), more than "
        + "9223372036854775807 bytes of float32 (over 2 GiB)");
    assertOneLine(catchIt(() -> Npy.read(header(dir.resolve("neg.npy"), "(-1, 4)"))), "neg.npy has shape (-1, 4)",
        "expected sizes >= 0");
    assertOneLine(catchIt(() -> Npy.read(header(dir.resolve("big.npy"), "(1000000, 1000)"))),
        "big.npy has shape (1000000, 1000), 4000000000 bytes");
    assertOneLine(catchIt(() -> Npy.read(header(dir.resolve("nodata.npy"), "(40, 4)"))), "nodata.npy has 0 data "
        + "bytes, its shape (40, 4) needs 640");
  }

  @Test
  void aCsvOfMoreRowsThanItsNpyStopsReadingAtOnce() throws Exception {
    FeatureMatrix m = FeatureMatrix.of(new float[][] {{1, 0}, {0, 1}});
    Path npy = dir.resolve("q.npy");
    Npy.write(npy, m);
    Path csv = dir.resolve("q.csv");
    // 3 million rows (about 40 MB): the reader stops at the third
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(csv), 1 << 20)) {
      out.write("path,pid,camid\n".getBytes(StandardCharsets.US_ASCII));
      byte[] row = "cam3/0001/0001.jpg,1,3\n".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 3_000_000; i++) {
        out.write(row);
      }
    }
    long t0 = System.nanoTime();
    assertOneLine(catchIt(() -> LabelledFeatures.read(npy, csv)), "q.csv describes more than 2 images; "
        + npy + " has 2 rows");
    assertThat((System.nanoTime() - t0) / 1e9).as("seconds").isLessThan(2.0);
  }

  @Test
  void aRecordThatNeverEndsIsRefused() throws Exception {
    Path csv = dir.resolve("long.csv");
    Files.writeString(csv, "path,pid,camid\n" + "a".repeat(MetadataCsv.MAX_RECORD + 10));
    assertOneLine(catchIt(() -> MetadataCsv.read(csv)), "long.csv line 2 holds a record of more than 65536 "
        + "characters");
    Path zero = Path.of("/dev/zero");
    if (Files.isReadable(zero)) {
      // a device that never ends: NUL characters, no line break
      assertOneLine(catchIt(() -> MetadataCsv.read(zero)), "/dev/zero line 1 holds a record of more than");
    }
    Path open = dir.resolve("open.csv");
    Files.writeString(open, "path,pid,camid\n\"a,1,3\nb,2,3\n");
    assertOneLine(catchIt(() -> MetadataCsv.read(open)), "open.csv line 2: unterminated quoted field");
  }

  @Test
  void aColumnNamedTwiceIsRefused() throws Exception {
    Path csv = dir.resolve("dup.csv");
    Files.writeString(csv, "path,pid,camid,pid\na.jpg,1,3,2\n");
    assertOneLine(catchIt(() -> MetadataCsv.read(csv)), "dup.csv: the header names column [pid] twice; expected each "
        + "column once (path,pid,camid)");
  }

  @Test
  void everyPathExtractWritesReadsBackUnchanged() throws Exception {
    List<ImageMeta> meta = List.of(new ImageMeta("cam1/0001/a\nb.jpg", 1, 1), new ImageMeta("cam3/0001/c\rd.jpg", 1, 3),
        new ImageMeta("cam3/0001/e\r\nf.jpg", 1, 3), new ImageMeta(" lead and trail .jpg ", 2, 6),
        new ImageMeta("q\"uo,te.jpg", 2, 6), new ImageMeta("\uFEFFbom.jpg", 3, 1), new ImageMeta("", 3, 2));
    Path f = dir.resolve("m.csv");
    MetadataCsv.write(f, meta);
    assertThat(MetadataCsv.read(f)).isEqualTo(meta);
    // line numbers after a quoted line break count physical lines
    Files.writeString(f, "path,pid,camid\n\"a\nb\",1,3\nc,x,3\n");
    assertOneLine(catchIt(() -> MetadataCsv.read(f)), "m.csv line 4: pid [x] is not an integer");
  }
}
