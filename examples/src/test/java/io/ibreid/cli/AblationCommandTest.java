package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AblationCommandTest {
  @Test
  void trainsEveryVariantAndSweepThenSummarises(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("sysu");
    assertThat(IbreidCliTest.run("synth", "--layout", "sysu", "--out", data.toString(), "--ids", "8", "--test-ids",
        "4", "--size", "32x16", "--images", "2", "--camera-presence", "1").code()).isZero();
    Path out = dir.resolve("ablation");
    String[] args = {"ablation", "--out", out.toString(), "--seeds", "1", "--iterations", "4", "--epochs", "2",
        "--variants", "baseline-ce,vsd-shared", "--zdims", "2,4", "--trials", "2", "--data", data.toString(),
        "--quiet", "--set", "input.height=32", "--set", "input.width=16", "--set", "sampler.identities=3",
        "--set", "sampler.instances=2", "--set", "data.params.holdout=2", "--set", "data.workers=1",
        "--set", "branches.shared.encoder.params={width: 4, stages: [1], observationSize: 8}",
        "--set", "branches.shared.bottleneck.params.hidden=[]"};
    // configs/ lives in the repository root, the parent of this module's working directory.
    System.setProperty("ibreid.home", Path.of("").toAbsolutePath().getParent().toString());
    try {
      check(out, args);
    } finally {
      System.clearProperty("ibreid.home");
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode metrics(double r1, double map) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        "{\"sysu-all-1shot\": {\"rank1\": " + r1 + ", \"mAP\": " + map + ", \"mINP\": 1.0}}");
  }

  @org.junit.jupiter.api.Test
  void differencesArePairedBySeedWithTIntervals() throws Exception {
    java.util.Map<String, java.util.Map<Integer, com.fasterxml.jackson.databind.JsonNode>> bySeed =
        new java.util.LinkedHashMap<>();
    bySeed.put("baseline-ce", new java.util.TreeMap<>(java.util.Map.of(1, metrics(10, 20), 2, metrics(20, 30),
        3, metrics(30, 40))));
    // +1, +2, +0 in R1 (mean 1, sd 1, t(2) = 4.303: [-1.5, +3.5]); mAP +5 on every seed (sd 0: [+5.0, +5.0] *)
    bySeed.put("vsd", new java.util.TreeMap<>(java.util.Map.of(1, metrics(11, 25), 2, metrics(22, 35),
        3, metrics(30, 45), 4, metrics(99, 99))));
    String md = AblationCommand.pairedTable(bySeed, "baseline-ce", "sysu-all-1shot");
    assertThat(md).contains("| vsd | 3 | +1.0 [-1.5, +3.5] | +5.0 [+5.0, +5.0] * | +0.0 [+0.0, +0.0] |");
    assertThat(AblationCommand.pairedTable(bySeed, "ib", "sysu-all-1shot")).isEmpty();
    double[] sd = AblationCommand.stats(java.util.List.of(metrics(1, 0), metrics(2, 0), metrics(3, 0)),
        "sysu-all-1shot", "rank1");
    assertThat(sd[1]).isEqualTo(1.0); // sample sd of 1, 2, 3 (the population sd would be 0.816)
  }

  private static void check(Path out, String[] args) throws Exception {
    IbreidCliTest.Result r = IbreidCliTest.run(args);
    assertThat(r.code()).as(r.err()).isZero();
    String md = Files.readString(out.resolve("ablation.md"));
    assertThat(md).contains("| baseline-ce | 1 |", "| vsd-shared | 1 |", "| 2 | 1 |", "| 4 | 1 |");
    assertThat(out.resolve("zdim.png")).exists();
    assertThat(out.resolve("runs/vsd-shared-z4/seed-1/metrics.json")).exists();
    // A second start reuses the evaluated runs.
    IbreidCliTest.Result again = IbreidCliTest.run(args);
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("already evaluated");
    IbreidCliTest.Result bad = IbreidCliTest.run("ablation", "--out", out.toString(), "--variants", "nope",
        "--dry-run");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("ibreid: --variants names [nope], but ");
  }
}
