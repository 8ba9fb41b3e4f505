package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ibreid train} with stderr going to a file, as in a log: the progress bar writes one line per update
 * (no carriage returns), the last one complete.
 */
class ProgressLogIT {
  @TempDir
  Path dir;

  @Test
  void aRedirectedProgressBarIsOneLinePerUpdate() throws Exception {
    Path data = dir.resolve("sysu");
    Launcher.Run synth = Launcher.run(dir, Map.of(), 300, "synth", "--layout", "sysu", "--out", data.toString(),
        "--ids", "8", "--test-ids", "4", "--size", "32x16", "--images", "2", "--camera-presence", "1");
    assertThat(synth.status()).as(synth.describe()).isZero();
    Path config = dir.resolve("tiny.yaml");
    Files.writeString(config, """
        name: progress-log
        seed: 3
        data: {type: sysu, root: %s, workers: 1}
        input: {height: 32, width: 16}
        sampler: {identities: 3, instances: 2}
        branches:
          shared:
            encoder: {type: small-resnet, params: {width: 4, stages: [1], observationSize: 8}}
            bottleneck: {type: mlp, params: {dim: 4, hidden: []}}
        losses:
          - {type: ce, branch: shared}
        schedule: {epochs: 2, batchesPerEpoch: 3}
        """.formatted(data));
    Launcher.Run r = Launcher.run(dir, Map.of("IBREID_JAVA_OPTS", "-Xmx1g"), 600, "train", "--config",
        config.toString(), "--out", dir.resolve("run").toString());
    assertThat(r.status()).as(r.describe()).isZero();
    assertThat(r.err()).as(r.describe()).doesNotContain("\r").endsWith("\n");
    List<String> bar = r.err().lines().filter(l -> l.startsWith("train")).toList();
    assertThat(bar.size()).as(r.describe()).isGreaterThanOrEqualTo(2);
    assertThat(bar.get(bar.size() - 1)).as(r.describe()).contains("6/6", "img/s loss ");
  }
}
