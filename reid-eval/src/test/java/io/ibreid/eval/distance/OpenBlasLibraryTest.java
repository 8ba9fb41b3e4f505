package io.ibreid.eval.distance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.eval.features.FeatureMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OpenBlasLibrary} in fresh JVMs (a library loads once per process): the first process records the files
 * JavaCPP's Loader loaded, the next loads them directly, and a record that no longer matches the files (or is
 * missing, malformed or names a missing file) sends the process back to the Loader, which rewrites it. Every process
 * computes the same hand-checked cosine distances.
 */
class OpenBlasLibraryTest {
  /** q = (1,0), (1,1); g = (0,2), (3,0): cosine distances 1 - cos. */
  private static final String EXPECTED = "1.0 0.0 0.29289323 0.29289323";

  @TempDir
  Path dir;

  @Test
  void withoutTheRecordPropertyTheLoaderIsUsed() throws Exception {
    assertThat(probe(null)).isEqualTo("direct=false " + EXPECTED);
  }

  @Test
  void aRecordedProcessLoadsDirectlyAndComputesTheSame() throws Exception {
    Path record = dir.resolve("sub/blas.libs");
    assertThat(probe(record)).isEqualTo("direct=false " + EXPECTED);
    List<String> lines = Files.readAllLines(record);
    assertThat(lines.get(0)).isEqualTo("ibreid OpenBLAS libraries v1");
    assertThat(lines.get(1)).endsWith(".jar");
    assertThat(lines.get(lines.size() - 2)).endsWith("libjniopenblas_nolapack.so");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("end");
    assertThat(lines).anyMatch(l -> l.contains("libopenblas_nolapack.so"));
    String recorded = Files.readString(record);

    assertThat(probe(record)).isEqualTo("direct=true " + EXPECTED);
    assertThat(Files.readString(record)).isEqualTo(recorded);

    // a library whose size no longer matches: back to the Loader, which writes the record again
    lines.set(2, "1" + lines.get(2));
    Files.write(record, lines);
    assertThat(probe(record)).isEqualTo("direct=false " + EXPECTED);
    assertThat(Files.readString(record)).isEqualTo(recorded);

    // a recorded file that is gone
    lines = new ArrayList<>(Files.readAllLines(record));
    lines.add(2, "5 5 " + dir.resolve("gone.so"));
    Files.write(record, lines);
    assertThat(probe(record)).isEqualTo("direct=false " + EXPECTED);
    assertThat(Files.readString(record)).isEqualTo(recorded);

    // cut short (no end line), or complete but without the binding's library: the probe call fails, the Loader loads
    Files.writeString(record, recorded.substring(0, recorded.indexOf("end")));
    assertThat(probe(record)).isEqualTo("direct=false " + EXPECTED);
    List<String> withoutBinding = new ArrayList<>(Files.readAllLines(record));
    withoutBinding.removeIf(l -> l.endsWith("libjniopenblas_nolapack.so"));
    Files.write(record, withoutBinding);
    assertThat(probe(record)).isEqualTo("direct=false " + EXPECTED);
    assertThat(record).doesNotExist(); // matched but failed: dropped, recorded again by the next process
    assertThat(probe(record)).isEqualTo("direct=false " + EXPECTED);
    assertThat(Files.readString(record)).isEqualTo(recorded);

    // a record from another version of this format, or garbage
    Files.writeString(record, recorded.replace("v1", "v0"));
    assertThat(probe(record)).isEqualTo("direct=false " + EXPECTED);
    Files.writeString(record, "not a record\n");
    assertThat(probe(record)).isEqualTo("direct=false " + EXPECTED);
    assertThat(Files.readString(record)).isEqualTo(recorded);
    assertThat(probe(record)).isEqualTo("direct=true " + EXPECTED);
  }

  @Test
  void anUnwritableRecordLocationOnlyCostsTime() throws Exception {
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "x");
    Path record = blocker.resolve("blas.libs"); // below a regular file: cannot be created
    assertThat(probe(record)).isEqualTo("direct=false " + EXPECTED);
    assertThat(probe(record)).isEqualTo("direct=false " + EXPECTED);
  }

  private String probe(Path record) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    if (record != null) {
      cmd.add("-D" + OpenBlasLibrary.RECORD_PROPERTY + "=" + record);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Probe.class.getName());
    Path out = Files.createTempFile(dir, "probe", ".out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("probe did not finish in 120 s: " + cmd);
    }
    String text = Files.readString(out).strip();
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  /** The child process: cosine distances of two 2 x 2 matrices through BlasKernel. */
  public static final class Probe {
    public static void main(String[] args) {
      FeatureMatrix q = FeatureMatrix.allocate(2, 2);
      q.buffer().put(new float[] {1, 0, 1, 1});
      FeatureMatrix g = FeatureMatrix.allocate(2, 2);
      g.buffer().put(new float[] {0, 2, 3, 0});
      float[] d = new float[4];
      try (BlasKernel k = new BlasKernel(q, g, Distance.COSINE)) {
        k.distances(0, 2, d);
      }
      StringBuilder s = new StringBuilder("direct=" + OpenBlasLibrary.loadedDirectly());
      for (float v : d) {
        s.append(' ').append(v);
      }
      System.out.println(s);
    }
  }
}
