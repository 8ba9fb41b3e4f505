package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.features.MetadataCsv;
import io.ibreid.eval.features.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train (with a holdout validator) → eval with the SYSU protocol → extract → eval-features, on generated data. */
class RunPipelineTest {
  @TempDir
  static Path dir;
  static Path data;
  static Path run;

  @BeforeAll
  static void trainOnASmallGeneratedSet() throws Exception {
    TinyRun tiny = TinyRun.train(dir, "pipeline", 2);
    data = tiny.data();
    run = tiny.run();
  }

  @Test
  void validationOnTheHoldoutKeepsABestCheckpoint() throws Exception {
    assertThat(run.resolve("checkpoints/best/model.zip")).exists();
    JsonNode best = new ObjectMapper().readTree(run.resolve("checkpoints/best.json").toFile());
    assertThat(best.get("metric").asText()).isEqualTo("mAP");
    assertThat(best.get("score").asDouble()).isBetween(0.0, 100.0);
    List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertThat(lines.stream().filter(l -> l.contains("\"validation\""))).hasSize(2);
  }

  @Test
  void evalPrintsTheSysuTableAndWritesMetricsJson() throws Exception {
    IbreidCliTest.Result r = IbreidCliTest.run("eval", "--run", run.toString(), "--trials", "3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("SYSU-MM01 all-search single-shot, 3 trials", "SYSU-MM01 indoor-search single-shot");
    List<String> lines = r.out().lines().toList();
    // run line, header naming the CMC convention and the count columns, one row per protocol
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).startsWith("protocol, CMC identity-wise").contains("R1", "mINP", "queries", "gallery",
        "valid", "skipped");
    JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    JsonNode all = m.get("sysu-all-1shot");
    assertThat(all.get("trials").asInt()).isEqualTo(3);
    assertThat(all.get("rank1").asDouble()).isBetween(0.0, 100.0);
    assertThat(all.get("rank20").asDouble()).isGreaterThanOrEqualTo(all.get("rank1").asDouble());
    assertThat(m.get("checkpoint").asText()).isEqualTo("best");
    assertThat(all.get("cmcConvention").asText()).isEqualTo("identity");
    // 4 test ids seen by every camera, 2 images each: 16 infrared queries; single-shot all-search gallery 4 x 4
    assertThat(all.get("queries").asInt()).isEqualTo(16);
    assertThat(all.get("galleryImages").asInt()).isEqualTo(16);
    assertThat(all.get("validQueries").asInt() + all.get("skippedQueries").asInt()).isEqualTo(16);
    assertThat(lines.get(2)).endsWith("      16       16 " + String.format("%6d %8d",
        all.get("validQueries").asInt(), all.get("skippedQueries").asInt()));
    assertThat(m.get("sysu-indoor-1shot").get("galleryImages").asInt()).isEqualTo(8);
  }

  /**
   * The run evaluated on a RegDB-layout set: the table says CMC image-wise, and its ranks agree with an image-wise
   * reference computed from the features {@code extract} writes (argsort of each cosine-distance row, position of
   * the first true match) to 1e-3 percentage points; {@code --cmc identity} switches to the other convention.
   */
  @Test
  void evalOnRegdbCountsImageWiseAndAgreesWithAReference() throws Exception {
    Path regdb = dir.resolve("regdb");
    IbreidCliTest.Result synth = IbreidCliTest.run("synth", "--layout", "regdb", "--out", regdb.toString(), "--ids",
        "6", "--test-ids", "12", "--size", "32x16", "--images", "4");
    assertThat(synth.code()).as(synth.err()).isZero();
    Path json = dir.resolve("regdb-metrics.json");
    IbreidCliTest.Result r = IbreidCliTest.run("eval", "--run", run.toString(), "--dataset", "regdb", "--root",
        regdb.toString(), "--trial", "1", "--json", json.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(1)).startsWith("protocol, CMC image-wise");
    JsonNode m = new ObjectMapper().readTree(json.toFile());
    JsonNode v2t = m.get("regdb-v2t");
    assertThat(v2t.get("cmcConvention").asText()).isEqualTo("image");
    assertThat(v2t.get("queries").asInt()).isEqualTo(48);
    assertThat(v2t.get("galleryImages").asInt()).isEqualTo(48);

    Path v = dir.resolve("regdb-v.npy");
    Path t = dir.resolve("regdb-t.npy");
    for (String[] e : new String[][] {{"visible", v.toString()}, {"infrared", t.toString()}}) {
      IbreidCliTest.Result x = IbreidCliTest.run("extract", "--run", run.toString(), "--dataset", "regdb", "--root",
          regdb.toString(), "--trial", "1", "--modality", e[0], "--out", e[1]);
      assertThat(x.code()).as(x.err()).isZero();
    }
    double[] v2tRef = imageWiseCmc(Npy.read(v).toArray(), MetadataCsv.read(dir.resolve("regdb-v.csv")),
        Npy.read(t).toArray(), MetadataCsv.read(dir.resolve("regdb-t.csv")));
    double[] t2vRef = imageWiseCmc(Npy.read(t).toArray(), MetadataCsv.read(dir.resolve("regdb-t.csv")),
        Npy.read(v).toArray(), MetadataCsv.read(dir.resolve("regdb-v.csv")));
    for (int k = 0; k < 20; k++) {
      assertThat(v2t.get("cmc").get(k).asDouble()).as("v2t R%d", k + 1).isCloseTo(v2tRef[k], within(1e-3));
      assertThat(m.get("regdb-t2v").get("cmc").get(k).asDouble()).as("t2v R%d", k + 1)
          .isCloseTo(t2vRef[k], within(1e-3));
    }
    // the printed table rounds the same values to 2 decimals
    assertThat(lines.get(2)).startsWith("RegDB visible to thermal").contains(String.format(java.util.Locale.ROOT,
        " %6.2f %6.2f %6.2f ", v2tRef[0], v2tRef[9], v2tRef[19]));

    IbreidCliTest.Result byIdentity = IbreidCliTest.run("eval", "--run", run.toString(), "--dataset", "regdb",
        "--root", regdb.toString(), "--trial", "1", "--json", json.toString(), "--cmc", "identity");
    assertThat(byIdentity.code()).as(byIdentity.err()).isZero();
    assertThat(byIdentity.out().lines().skip(1).findFirst().orElseThrow()).startsWith("protocol, CMC identity-wise");
    JsonNode id = new ObjectMapper().readTree(json.toFile()).get("regdb-v2t");
    assertThat(id.get("cmcConvention").asText()).isEqualTo("identity");
    assertThat(id.get("rank1").asDouble()).isEqualTo(v2t.get("rank1").asDouble());
    assertThat(id.get("rank5").asDouble()).isGreaterThanOrEqualTo(v2t.get("rank5").asDouble());
    assertThat(id.get("mAP").asDouble()).isEqualTo(v2t.get("mAP").asDouble());
  }

  /** Image-wise CMC (percent, ranks 1..20) over the queries that have a true match, cosine distance. */
  static double[] imageWiseCmc(float[][] q, List<ImageMeta> qm, float[][] g, List<ImageMeta> gm) {
    long[] hits = new long[20];
    int valid = 0;
    for (int i = 0; i < q.length; i++) {
      double[] d = new double[g.length];
      for (int j = 0; j < g.length; j++) {
        double dot = 0;
        double nq = 0;
        double ng = 0;
        for (int c = 0; c < q[i].length; c++) {
          dot += (double) q[i][c] * g[j][c];
          nq += (double) q[i][c] * q[i][c];
          ng += (double) g[j][c] * g[j][c];
        }
        d[j] = 1 - dot / Math.sqrt(nq * ng);
      }
      Integer[] order = new Integer[g.length];
      for (int j = 0; j < g.length; j++) {
        order[j] = j;
      }
      java.util.Arrays.sort(order, (a, b) -> Double.compare(d[a], d[b]));
      int first = -1;
      for (int r = 0; r < g.length && first < 0; r++) {
        if (gm.get(order[r]).pid() == qm.get(i).pid()) {
          first = r;
        }
      }
      if (first < 0) {
        continue;
      }
      valid++;
      for (int k = first; k < 20; k++) {
        hits[k]++;
      }
    }
    double[] cmc = new double[20];
    for (int k = 0; k < 20; k++) {
      cmc[k] = 100.0 * hits[k] / valid;
    }
    return cmc;
  }

  @Test
  void extractWritesFeaturesThatEvalFeaturesReads() throws Exception {
    Path q = dir.resolve("q.npy");
    Path g = dir.resolve("g.npy");
    assertThat(IbreidCliTest.run("extract", "--run", run.toString(), "--out", q.toString(), "--modality",
        "infrared").code()).isZero();
    IbreidCliTest.Result gr = IbreidCliTest.run("extract", "--run", run.toString(), "--out", g.toString(),
        "--modality", "visible");
    assertThat(gr.code()).as(gr.err()).isZero();
    assertThat(Npy.read(q).dim()).as("infrared.z + shared.z").isEqualTo(8);
    assertThat(MetadataCsv.read(dir.resolve("q.csv"))).allSatisfy(meta -> assertThat(meta.camid()).isIn(3, 6));
    IbreidCliTest.Result e = IbreidCliTest.run("eval-features", "--protocol", "sysu", "--query", q.toString(),
        "--query-meta", dir.resolve("q.csv").toString(), "--gallery", g.toString(), "--gallery-meta",
        dir.resolve("g.csv").toString());
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.out()).contains("\"rank1\"");
    IbreidCliTest.Result bad = IbreidCliTest.run("extract", "--run", run.toString(), "--out", dir.resolve("x.bin")
        .toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("ibreid: --out " + dir.resolve("x.bin") + " must end with .npy\n");
  }
}
