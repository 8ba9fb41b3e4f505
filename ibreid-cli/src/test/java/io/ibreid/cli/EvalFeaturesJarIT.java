package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.features.MetadataCsv;
import io.ibreid.eval.features.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jars (run by {@code mvn verify} after {@code package}): {@code ibreid-eval.jar}, which bin/ibreid runs
 * eval-features from, holds classes only and finds everything else through ibreid.jar on its manifest class path. It
 * must print exactly what ibreid.jar prints, with nothing on stderr, also when OpenBLAS is loaded from a recorded file
 * list and when a command needs classes only ibreid.jar has (the ND4J backend).
 */
class EvalFeaturesJarIT {
  private static final Path TARGET = Path.of("target");

  @TempDir
  Path dir;

  private List<String> args;

  record Run(int status, String out, String err) {}

  @BeforeEach
  void files() throws IOException {
    Random rnd = new Random(3);
    float[][] q = new float[40][16];
    float[][] g = new float[60][16];
    List<ImageMeta> qm = new ArrayList<>();
    List<ImageMeta> gm = new ArrayList<>();
    for (int i = 0; i < q.length; i++) {
      qm.add(new ImageMeta("q" + i + ".jpg", i % 6, i % 2 == 0 ? 3 : 6));
      fill(rnd, q[i], i % 6);
    }
    for (int j = 0; j < g.length; j++) {
      gm.add(new ImageMeta("g" + j + ".jpg", j % 6, 1 + j % 4 + (j % 4 >= 2 ? 1 : 0)));
      fill(rnd, g[j], j % 6);
    }
    Npy.write(dir.resolve("q.npy"), FeatureMatrix.of(q));
    Npy.write(dir.resolve("g.npy"), FeatureMatrix.of(g));
    MetadataCsv.write(dir.resolve("q.csv"), qm);
    MetadataCsv.write(dir.resolve("g.csv"), gm);
    args = List.of("eval-features", "--protocol", "sysu", "--query", dir.resolve("q.npy").toString(), "--query-meta",
        dir.resolve("q.csv").toString(), "--gallery", dir.resolve("g.npy").toString(), "--gallery-meta",
        dir.resolve("g.csv").toString());
  }

  private static void fill(Random rnd, float[] row, int pid) {
    for (int c = 0; c < row.length; c++) {
      row[c] = (float) rnd.nextGaussian() + (c == pid ? 2f : 0f);
    }
  }

  @Test
  void theEvalJarHoldsClassesOnlyAndListsTheFullJar() throws IOException {
    try (JarFile jar = new JarFile(TARGET.resolve("ibreid-eval.jar").toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Class-Path")).isEqualTo("ibreid.jar");
      assertThat(jar.stream().map(e -> e.getName()))
          .contains("io/ibreid/cli/IbreidCli.class", "org/bytedeco/openblas/global/openblas_nolapack.class")
          .noneMatch(n -> n.endsWith(".so") || n.contains(".so.") || n.equals("logback.xml"));
    }
    assertThat(Files.size(TARGET.resolve("ibreid-eval.jar"))).isLessThan(20L << 20);
  }

  @Test
  void theEvalJarPrintsWhatTheFullJarPrints() throws Exception {
    Run full = java("ibreid.jar", null, args);
    assertThat(full.status()).as(full.err()).isZero();
    assertThat(full.out()).startsWith("{\"rank1\": ");

    Path record = dir.resolve("blas.libs");
    Run recording = java("ibreid-eval.jar", record, args);
    Run recorded = java("ibreid-eval.jar", record, args);
    assertThat(Files.readAllLines(record).get(1)).contains("ibreid-eval.jar");
    for (Run r : List.of(recording, recorded)) {
      assertThat(r.status()).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).isEqualTo(full.out());
    }

    List<String> nd4j = new ArrayList<>(args);
    Collections.addAll(nd4j, "--backend", "nd4j");
    Run viaFullJar = java("ibreid-eval.jar", record, nd4j);
    assertThat(viaFullJar.status()).as(viaFullJar.err()).isZero();
    assertThat(viaFullJar.err()).isEmpty();
    assertThat(viaFullJar.out()).startsWith(full.out().substring(0, full.out().indexOf(',')));

    List<String> bad = new ArrayList<>(args);
    bad.set(bad.indexOf("--gallery") + 1, dir.resolve("missing.npy").toString());
    Run failed = java("ibreid-eval.jar", record, bad);
    assertThat(failed.status()).isEqualTo(2);
    assertThat(failed.out()).isEmpty();
    assertThat(failed.err().strip()).isEqualTo("ibreid: " + dir.resolve("missing.npy") + " does not exist");
  }

  private Run java(String jar, Path record, List<String> arguments) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    if (record != null) {
      cmd.add("-Dibreid.blas.libs=" + record);
    }
    cmd.add("-jar");
    cmd.add(TARGET.resolve(jar).toString());
    cmd.addAll(arguments);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("did not finish in 180 s: " + cmd);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
