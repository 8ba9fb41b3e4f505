package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.features.MetadataCsv;
import io.ibreid.eval.features.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ibreid eval-features} end to end on real files: the hand-computed example, reports, and bad inputs. */
class EvalFeaturesCommandTest {
  @TempDir
  Path dir;

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = IbreidCli.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(status, out.toString(), err.toString());
  }

  /** The 3-query x 6-gallery example of reid-eval's HandComputedTest, as features: query i has 1 - DIST[i][j]. */
  static final float[][] DIST = {
      {.2f, .1f, .3f, .4f, .6f, .5f},
      {.1f, .3f, .2f, .5f, .6f, .4f},
      {.3f, .2f, .1f, .4f, .5f, .6f}};

  @BeforeEach
  void files() throws IOException {
    float[][] q = new float[3][6];
    float[][] g = new float[6][6];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 6; j++) {
        q[i][j] = 1 - DIST[i][j];
      }
    }
    for (int j = 0; j < 6; j++) {
      g[j][j] = 1;
    }
    Npy.write(dir.resolve("q.npy"), FeatureMatrix.of(q));
    Npy.write(dir.resolve("g.npy"), FeatureMatrix.of(g));
    MetadataCsv.write(dir.resolve("q.csv"), List.of(new ImageMeta("img/q0.png", 1, 3),
        new ImageMeta("img/q1.png", 2, 6), new ImageMeta("img/q2.png", 4, 3)));
    List<ImageMeta> gm = new ArrayList<>();
    int[][] pidCam = {{1, 1}, {4, 2}, {1, 2}, {3, 4}, {1, 5}, {2, 1}};
    for (int j = 0; j < 6; j++) {
      gm.add(new ImageMeta("img/g" + j + ".png", pidCam[j][0], pidCam[j][1]));
    }
    MetadataCsv.write(dir.resolve("g.csv"), gm);
  }

  String[] args(String... extra) {
    List<String> a = new ArrayList<>(List.of("eval-features", "--protocol", "sysu",
        "--query", dir.resolve("q.npy").toString(), "--query-meta", dir.resolve("q.csv").toString(),
        "--gallery", dir.resolve("g.npy").toString(), "--gallery-meta", dir.resolve("g.csv").toString()));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  /** The fast path (eval-features first) and picocli (an option before it) print the same result. */
  @Test
  void fastPathAndPicocliPrintTheSame() {
    Run fast = run(args("--rerank", "--k1", "3", "--k2", "1"));
    List<String> viaPicocli = new ArrayList<>(List.of("--debug"));
    viaPicocli.addAll(List.of(args("--rerank", "--k1", "3", "--k2", "1")));
    Run pico = run(viaPicocli.toArray(String[]::new));
    assertThat(fast.status()).isZero();
    assertThat(fast.out()).contains("\"rerank\"").isEqualTo(pico.out());
    assertThat(pico.status()).isZero();
    Run bad = run("eval-features", "--protocol", "sysu", "--query", dir.resolve("none.npy").toString(),
        "--query-meta", dir.resolve("q.csv").toString(), "--gallery", dir.resolve("g.npy").toString(),
        "--gallery-meta", dir.resolve("g.csv").toString());
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err().lines()).singleElement().asString().startsWith("ibreid: ").contains("none.npy");
  }

  @Test
  void printsAndWritesTheHandComputedMetrics() throws IOException {
    Path json = dir.resolve("out/metrics.json");
    Run r = run(args("--json", json.toString()));
    assertThat(r.status()).isZero();
    // q2's only gallery image is removed by the camera rule: a third of the queries skipped, more than a tenth
    assertThat(r.err()).isEqualTo("warning: sysu: 1 of 3 queries (33.3 %) have no valid true match in the gallery "
        + "and were skipped; the metrics are over the other 2\n");
    JsonNode printed = new ObjectMapper().readTree(r.out());
    JsonNode written = new ObjectMapper().readTree(json.toFile());
    assertThat(written).isEqualTo(printed);
    assertThat(printed.get("rank1").asDouble()).isEqualTo(50.0);
    assertThat(printed.get("rank5").asDouble()).isEqualTo(100.0);
    assertThat(printed.get("rank10").asDouble()).isEqualTo(100.0);
    assertThat(printed.get("rank20").asDouble()).isEqualTo(100.0);
    assertThat(printed.get("mAP").asDouble()).isEqualTo(50.0);
    assertThat(printed.get("mINP").asDouble()).isEqualTo(37.5);
    assertThat(printed.get("cmc")).hasSize(20);
    assertThat(printed.get("cmc").get(1).asDouble()).isEqualTo(50.0);
    assertThat(printed.get("cmc").get(2).asDouble()).isEqualTo(100.0);
    assertThat(printed.get("validQueries").asInt()).isEqualTo(2);
    assertThat(printed.get("skippedQueries").asInt()).isEqualTo(1);
    assertThat(printed.get("queries").asInt()).isEqualTo(3);
    assertThat(printed.get("galleryImages").asInt()).isEqualTo(6);
    assertThat(printed.get("cmcConvention").asText()).isEqualTo("identity");
  }

  /**
   * The same example counted image by image: q1 has g0 and g2 (identity 1) and g1 before its true match g5, so its
   * image-wise position is 4, not 3; R3 drops from 100 to 50. mAP and mINP do not change.
   */
  @Test
  void imageWiseCmcOnRequest() throws IOException {
    Run r = run(args("--cmc", "image"));
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("cmcConvention").asText()).isEqualTo("image");
    assertThat(j.get("rank1").asDouble()).isEqualTo(50.0);
    assertThat(j.get("cmc").get(2).asDouble()).isEqualTo(50.0);
    assertThat(j.get("cmc").get(3).asDouble()).isEqualTo(100.0);
    assertThat(j.get("rank5").asDouble()).isEqualTo(100.0);
    assertThat(j.get("mAP").asDouble()).isEqualTo(50.0);
    assertThat(j.get("mINP").asDouble()).isEqualTo(37.5);
    // with --trials too (ten shots keep this whole gallery in every trial)
    Run t = run(args("--cmc", "image", "--trials", "2", "--shots", "10"));
    assertThat(t.status()).as(t.err()).isZero();
    JsonNode tj = new ObjectMapper().readTree(t.out());
    assertThat(tj.get("cmcConvention").asText()).isEqualTo("image");
    assertThat(tj.get("cmc").get(2).asDouble()).isEqualTo(50.0);
    assertThat(tj.get("perTrial").get(1).get("cmcConvention").asText()).isEqualTo("image");
    assertThat(tj.get("galleryImages").asInt()).isEqualTo(6);
    assertThat(t.err()).startsWith("warning: sysu all-search, 2 trials: 1 of 3 queries (33.3 %)");
    assertOneLineError(run(args("--cmc", "distinct")), "unknown CMC convention [distinct], known options "
        + "[image, identity]");
  }

  @Test
  void trialsDrawGalleriesFromTheGivenGallery() throws IOException {
    // ten shots per (identity, camera) keep every image of this small gallery: each trial is the hand example
    Run r = run(args("--trials", "3", "--shots", "10"));
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("trials").asInt()).isEqualTo(3);
    assertThat(j.get("rank1").asDouble()).isEqualTo(50.0);
    assertThat(j.get("mAP").asDouble()).isEqualTo(50.0);
    assertThat(j.get("mINP").asDouble()).isEqualTo(37.5);
    assertThat(j.get("rank1Std").asDouble()).isEqualTo(0.0);
    assertThat(j.get("perTrial")).hasSize(3);
    // indoor single-shot: cameras 1 and 2 only, one image per group -> still well-formed
    Run indoor = run(args("--trials", "10", "--shots", "1", "--mode", "indoor"));
    assertThat(indoor.status()).as(indoor.err()).isZero();
    assertThat(new ObjectMapper().readTree(indoor.out()).get("perTrial")).hasSize(10);
    String[] a = args("--trials", "10");
    a[2] = "regdb";
    assertOneLineError(run(a), "--trials applies to --protocol sysu only");
  }

  @Test
  void regdbRemovesNothingAndEuclideanAndNd4jAgree() throws IOException {
    Run regdb = run(args("--distance", "euclidean").clone());
    assertThat(regdb.status()).isZero();
    String[] a = args("--backend", "nd4j");
    a[2] = "regdb";
    Run nd4j = run(a);
    assertThat(nd4j.status()).as(nd4j.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(nd4j.out());
    assertThat(j.get("validQueries").asInt()).isEqualTo(3); // q2 now finds g1
    assertThat(j.get("protocol").asText()).isEqualTo("regdb");
    assertThat(nd4j.err()).isEmpty(); // nothing skipped, no warning
    // RegDB counts image by image: first true matches at positions 2 (q0: g1 g0*), 4 (q1) and 2 (q2: g2 g1*)
    assertThat(j.get("cmcConvention").asText()).isEqualTo("image");
    assertThat(j.get("rank1").asDouble()).isEqualTo(0.0);
    assertThat(j.get("cmc").get(1).asDouble()).isCloseTo(200 / 3.0, within(1e-6));
    assertThat(j.get("cmc").get(2).asDouble()).isCloseTo(200 / 3.0, within(1e-6));
    assertThat(j.get("cmc").get(3).asDouble()).isEqualTo(100.0);
    a[a.length - 2] = "--cmc";
    a[a.length - 1] = "identity";
    JsonNode identity = new ObjectMapper().readTree(run(a).out());
    assertThat(identity.get("cmcConvention").asText()).isEqualTo("identity");
    assertThat(identity.get("cmc").get(2).asDouble()).isEqualTo(100.0); // q1: identities 1, 4 before it
  }

  /**
   * A RegDB-sized random case through the command and files on disk: every printed rank 1..20 agrees with an
   * image-wise reference (argsort of each distance row, position of the first true match) to 1e-3 percentage points.
   */
  @Test
  void regdbRanksAgreeWithAnImageWiseReference() throws IOException {
    java.util.Random rnd = new java.util.Random(17);
    int ids = 25;
    int per = 6;
    int dim = 32;
    float[][] centre = new float[ids][dim];
    for (float[] c : centre) {
      for (int k = 0; k < dim; k++) {
        c[k] = (float) rnd.nextGaussian();
      }
    }
    float[][] q = new float[ids * per][dim];
    float[][] g = new float[ids * per][dim];
    List<ImageMeta> qm = new ArrayList<>();
    List<ImageMeta> gm = new ArrayList<>();
    for (int i = 0; i < ids * per; i++) {
      int pid = (i * 7) % ids;
      qm.add(new ImageMeta("Visible/" + i + ".bmp", pid, 1));
      gm.add(new ImageMeta("Thermal/" + i + ".bmp", pid, 2));
      for (int k = 0; k < dim; k++) {
        q[i][k] = 0.4f * centre[pid][k] + (float) rnd.nextGaussian();
        g[i][k] = 0.4f * centre[pid][k] + (float) rnd.nextGaussian();
      }
    }
    Npy.write(dir.resolve("rq.npy"), FeatureMatrix.of(q));
    Npy.write(dir.resolve("rg.npy"), FeatureMatrix.of(g));
    MetadataCsv.write(dir.resolve("rq.csv"), qm);
    MetadataCsv.write(dir.resolve("rg.csv"), gm);
    Run r = run("eval-features", "--protocol", "regdb", "--query", dir.resolve("rq.npy").toString(), "--query-meta",
        dir.resolve("rq.csv").toString(), "--gallery", dir.resolve("rg.npy").toString(), "--gallery-meta",
        dir.resolve("rg.csv").toString());
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    long[] hits = new long[20];
    for (int i = 0; i < q.length; i++) {
      double[] d = new double[g.length];
      for (int k = 0; k < g.length; k++) {
        double dot = 0;
        double nq = 0;
        double ng = 0;
        for (int c = 0; c < dim; c++) {
          dot += (double) q[i][c] * g[k][c];
          nq += (double) q[i][c] * q[i][c];
          ng += (double) g[k][c] * g[k][c];
        }
        d[k] = 1 - dot / Math.sqrt(nq * ng);
      }
      Integer[] order = new Integer[g.length];
      for (int k = 0; k < g.length; k++) {
        order[k] = k;
      }
      java.util.Arrays.sort(order, (a, b) -> Double.compare(d[a], d[b]));
      int first = 0;
      while (gm.get(order[first]).pid() != qm.get(i).pid()) {
        first++;
      }
      for (int k = first; k < 20; k++) {
        hits[k]++;
      }
    }
    for (int k = 0; k < 20; k++) {
      assertThat(j.get("cmc").get(k).asDouble()).as("R%d", k + 1).isCloseTo(100.0 * hits[k] / q.length,
          within(1e-3));
    }
    assertThat(j.get("rank20").asDouble()).isLessThan(99.0); // identity-wise it would be 100 with 25 identities
    assertThat(j.get("queries").asInt()).isEqualTo(150);
    assertThat(j.get("galleryImages").asInt()).isEqualTo(150);
  }

  @Test
  void writesReports() throws IOException {
    Files.createDirectories(dir.resolve("img"));
    BufferedImage red = new BufferedImage(32, 64, BufferedImage.TYPE_INT_RGB);
    ImageIO.write(red, "png", dir.resolve("img/g0.png").toFile());
    Run r = run(args("--report", dir.resolve("report").toString(), "--image-root", dir.toString()));
    assertThat(r.status()).as(r.err()).isZero();
    BufferedImage cmc = ImageIO.read(dir.resolve("report/cmc.png").toFile());
    assertThat(cmc.getWidth()).isEqualTo(800);
    BufferedImage list = ImageIO.read(dir.resolve("report/ranklist.png").toFile());
    assertThat(list.getHeight()).isGreaterThan(2 * 128);
    List<String> csv = Files.readAllLines(dir.resolve("report/ranklist.csv"));
    // two valid queries; q0 keeps 4 gallery images (camera 2 removed), q1 all 6
    assertThat(csv).hasSize(1 + 6 + 4);
    // worst first: q1 (AP 0.25) before q0 (AP 0.75)
    assertThat(csv.get(1)).startsWith("1,1,img/q1.png,2,6,0.250000,1,0,img/g0.png,1,1,false,");
    assertThat(csv.get(4)).contains(",4,5,img/g5.png,2,1,true,");
    assertThat(csv.get(7)).startsWith("2,0,img/q0.png,1,3,0.750000,1,0,img/g0.png,1,1,true,");
  }

  void assertOneLineError(Run r, String... fragments) {
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).startsWith("ibreid: ");
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }

  @Test
  void badInputsFailWithOneLine() throws IOException {
    Path json = dir.resolve("never.json");
    // shape mismatch between .npy and CSV rows
    MetadataCsv.write(dir.resolve("q2.csv"), List.of(new ImageMeta("a", 1, 3)));
    String[] a = args("--json", json.toString());
    a[6] = dir.resolve("q2.csv").toString();
    assertOneLineError(run(a), "q.npy has 3 rows", "q2.csv describes 1 images");
    // missing column
    Files.writeString(dir.resolve("nocam.csv"), "path,pid\na,1\nb,2\nc,3\n");
    a = args();
    a[10] = dir.resolve("nocam.csv").toString();
    assertOneLineError(run(a), "nocam.csv", "lacks column [camid]");
    // NaN feature
    Npy.write(dir.resolve("nan.npy"), FeatureMatrix.of(new float[][] {{1, 2, 3, 4, 5, 6}, {0, 0, 0, Float.NaN, 0, 0},
        {1, 1, 1, 1, 1, 1}}));
    a = args();
    a[4] = dir.resolve("nan.npy").toString();
    assertOneLineError(run(a), "nan.npy", "row 1 column 3 is NaN");
    // empty gallery
    Npy.write(dir.resolve("empty.npy"), FeatureMatrix.allocate(0, 6));
    MetadataCsv.write(dir.resolve("empty.csv"), List.of());
    a = args();
    a[8] = dir.resolve("empty.npy").toString();
    a[10] = dir.resolve("empty.csv").toString();
    assertOneLineError(run(a), "gallery", "holds no images");
    // unknown protocol / distance
    a = args();
    a[2] = "market";
    assertOneLineError(run(a), "unknown protocol [market]");
    assertOneLineError(run(args("--distance", "l1")), "unknown distance [l1]");
    assertThat(json).doesNotExist();
  }
}
