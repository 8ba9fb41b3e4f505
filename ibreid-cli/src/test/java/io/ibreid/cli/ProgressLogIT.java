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
    Path config = dir.resolve("tiny.yaml");
    Files.writeString(config, IbreidCliTest.CONFIG); // 2 epochs of 3 batches
    Launcher.Run r = Launcher.run(dir, Map.of("IBREID_JAVA_OPTS", "-Xmx1g"), 600, "train", "--config",
        config.toString(), "--out", dir.resolve("run").toString());
    assertThat(r.status()).as(r.describe()).isZero();
    assertThat(r.err()).as(r.describe()).doesNotContain("\r").endsWith("\n");
    List<String> bar = r.err().lines().filter(l -> l.startsWith("train")).toList();
    assertThat(bar.size()).as(r.describe()).isGreaterThanOrEqualTo(2);
    assertThat(bar.get(bar.size() - 1)).as(r.describe()).contains("6/6", "img/s loss ");
  }
}
