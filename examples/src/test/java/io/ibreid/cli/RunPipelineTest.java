package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    JsonNode all = m.get("sysu-all-1shot");
    assertThat(all.get("trials").asInt()).isEqualTo(3);
    assertThat(all.get("rank1").asDouble()).isBetween(0.0, 100.0);
    assertThat(all.get("rank20").asDouble()).isGreaterThanOrEqualTo(all.get("rank1").asDouble());
    assertThat(m.get("checkpoint").asText()).isEqualTo("best");
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
