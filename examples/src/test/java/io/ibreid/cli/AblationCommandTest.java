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
