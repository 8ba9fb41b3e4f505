package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.weights.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code configs/paper-sysu.yaml} as shipped, on a small generated SYSU-layout set: offline, {@code pretrained:
 * imagenet} stops the run with one line saying which file to put where; with a local PyTorch file (ResNet-50 at
 * width 4, the fixture, at 64×32 so that the test takes seconds) it trains.
 */
class PaperConfigRunTest {
  static final Path CONFIG = Path.of("").toAbsolutePath().getParent().resolve("configs/paper-sysu.yaml");

  private static List<String> small(Path data) {
    return List.of("--set", "data.type=synthetic-sysu", "--set", "data.root=" + data, "--set",
        "data.params.ids=6", "--set", "data.params.testIds=2", "--set", "data.params.images=2", "--set",
        "data.params.height=32", "--set", "data.params.width=16", "--set", "data.workers=1", "--set",
        "input.height=64", "--set", "input.width=32", "--set", "sampler.identities=2", "--set",
        "sampler.instances=2", "--set", "schedule.maxIterations=2");
  }

  private static IbreidCliTest.Result train(Path run, List<String> sets) {
    List<String> args = new ArrayList<>(List.of("train", "--config", CONFIG.toString(), "--out", run.toString(),
        "--quiet"));
    args.addAll(sets);
    return IbreidCliTest.run(args.toArray(String[]::new));
  }

  @Test
  void offlineImagenetWeightsAreOneLineNamingTheFileAndTheFolder(@TempDir Path dir) {
    Path cache = dir.resolve("cache");
    String before = System.getProperty("ibreid.weights.dir");
    String url = System.getProperty("ibreid.weights.url");
    System.setProperty("ibreid.weights.dir", cache.toString());
    System.setProperty("ibreid.weights.url", dir.resolve("no-mirror").toUri().toString());
    try {
      IbreidCliTest.Result r = train(dir.resolve("run"), small(dir.resolve("data")));
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("ibreid: cannot download ").contains("resnet50-0676ba61.pth")
          .contains("put that file at " + cache.resolve("resnet50-0676ba61.pth"));
      assertThat(r.err().trim()).doesNotContain("\n");
      assertThat(cache.resolve("resnet50-0676ba61.pth")).doesNotExist();
      java.io.File[] left = dir.resolve("run").toFile().listFiles();
      assertThat(left == null ? List.of() : List.of(left)).as("the run folder").isEmpty();
    } finally {
      restore("ibreid.weights.dir", before);
      restore("ibreid.weights.url", url);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void trainsFromAPyTorchFile(@TempDir Path dir) throws Exception {
    List<String> sets = new ArrayList<>(small(dir.resolve("data")));
    for (String b : new String[] {"visible", "infrared", "shared"}) {
      String p = "branches." + b + ".encoder.params.";
      sets.addAll(List.of("--set", p + "pretrained=none", "--set", p + "width=4", "--set", p + "weights="
          + Fixtures.path("resnet50-w4.safetensors")));
    }
    Path run = dir.resolve("run");
    IbreidCliTest.Result r = train(run, sets);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.list(run.resolve("checkpoints")).count()).isPositive();
  }
}
