package io.ibreid.ablation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan.json's comparison and the data fingerprint. */
class AblationPlanTest {
  private static JsonNode json(String s) throws Exception {
    return AblationPlan.JSON.readTree(s);
  }

  @Test
  void theFirstDifferenceIsNamedByItsKey() throws Exception {
    JsonNode a = json("{\"seeds\": 5, \"iterations\": 1500, \"runs\": [{\"id\": \"runs/a/seed-1\", \"config\": "
        + "{\"optimizer\": {\"lr\": 0.002}}}]}");
    assertThat(AblationPlan.firstDifference(a, a.deepCopy())).isNull();
    assertThat(AblationPlan.firstDifference(a, json("{\"seeds\": 3, \"iterations\": 1500, \"runs\": []}")))
        .isEqualTo("seeds: 5 in plan.json, 3 now");
    assertThat(AblationPlan.firstDifference(a, json("{\"seeds\": 5, \"iterations\": 1500, \"runs\": [{\"id\": "
        + "\"runs/a/seed-1\", \"config\": {\"optimizer\": {\"lr\": 0.001}}}]}")))
        .isEqualTo("runs[runs/a/seed-1].config.optimizer.lr: 0.002 in plan.json, 0.001 now");
    assertThat(AblationPlan.firstDifference(a, json("{\"seeds\": 5, \"iterations\": 1500, \"runs\": [{\"id\": "
        + "\"runs/a/seed-1\", \"config\": {\"optimizer\": {\"lr\": 0.002}}}, {\"id\": \"runs/a/seed-2\"}]}")))
        .isEqualTo("runs: 1 entries in plan.json, 2 entries now");
    assertThat(AblationPlan.firstDifference(json("{\"v\": [\"a\", \"b\"]}"), json("{\"v\": [\"a\"]}")))
        .isEqualTo("v: [\"a\",\"b\"] in plan.json, [\"a\"] now");
    // numbers compare by value (a long written to plan.json is read back as an int)
    com.fasterxml.jackson.databind.node.ObjectNode longSeed = AblationPlan.JSON.createObjectNode().put("seed", 1L);
    assertThat(AblationPlan.firstDifference(json("{\"seed\": 1}"), longSeed)).isNull();
    assertThat(AblationPlan.firstDifference(json("{\"lr\": 0.0020}"), json("{\"lr\": 0.002}"))).isNull();
    assertThat(AblationPlan.firstDifference(json("{\"x\": 1}"), json("{\"x\": 1, \"y\": true}")))
        .isEqualTo("y: absent in plan.json, true now");
  }

  @Test
  void aPlanFromBeforeTheKernelsKeyReadsAsLibnd4j() throws Exception {
    JsonNode old = AblationPlan.upgrade(json("{\"seeds\": 5, \"probes\": true}"));
    assertThat(old.get("kernels").asText()).isEqualTo("libnd4j");
    assertThat(AblationPlan.firstDifference(old, json("{\"seeds\": 5, \"probes\": true, \"kernels\": \"libnd4j\"}")))
        .isNull();
    assertThat(AblationPlan.firstDifference(old, json("{\"seeds\": 5, \"probes\": true, \"kernels\": \"onednn\"}")))
        .isEqualTo("kernels: libnd4j in plan.json, onednn now");
    JsonNode recorded = AblationPlan.upgrade(json("{\"kernels\": \"onednn\"}"));
    assertThat(recorded.get("kernels").asText()).isEqualTo("onednn");
  }

  @Test
  void theFingerprintFollowsTheListsAndTheGeneratorFile(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("data");
    Files.createDirectories(root.resolve("exp"));
    Files.writeString(root.resolve("exp/train_id.txt"), "1,2,3");
    Files.writeString(root.resolve("exp/test_id.txt"), "4,5");
    Files.writeString(root.resolve("synthetic.txt"), "version=2\nlayout=sysu\n");
    JsonNode a = AblationPlan.fingerprint(root);
    assertThat(a.get("files").toString()).isEqualTo("[\"synthetic.txt\",\"exp/test_id.txt\",\"exp/train_id.txt\"]");
    assertThat(a.get("generator").asText()).isEqualTo("version=2 layout=sysu");
    assertThat(AblationPlan.fingerprint(root)).isEqualTo(a);
    Files.writeString(root.resolve("exp/test_id.txt"), "4,6");
    assertThat(AblationPlan.fingerprint(root).get("sha256")).isNotEqualTo(a.get("sha256"));
    assertThat(AblationPlan.fingerprint(dir.resolve("none")).get("missing").asBoolean()).isTrue();
  }
}
