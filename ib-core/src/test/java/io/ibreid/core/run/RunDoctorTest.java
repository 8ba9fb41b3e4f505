package io.ibreid.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.train.TrainerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDoctorTest {
  @Test
  void reportsDamagedCheckpointsLeftoversAndBadMetricsLines(@TempDir Path dir) throws Exception {
    TrainerTest.trainer(ConfigLoader.parse(TrainerTest.YAML, List.of("schedule.maxIterations=4",
        "checkpoint.everyIterations=2")), dir).train(false, new TrainerTest.Recorder());
    assertThat(RunDoctor.examine(dir)).extracting(RunDoctor.Finding::level).containsOnly("ok");

    Files.write(dir.resolve("checkpoints/iter-00000004/state.json"), "{}".getBytes());
    Files.createDirectories(dir.resolve("checkpoints/.iter-00000006.tmp"));
    Files.writeString(dir.resolve("metrics.jsonl"), "{\"iteration\": 4, \"lo", java.nio.file.StandardOpenOption.APPEND);
    List<String> findings = RunDoctor.examine(dir).stream().map(RunDoctor.Finding::toString).toList();
    assertThat(findings).contains(
        "error: iter-00000004: state.json does not match its checksum (truncated or corrupt) (resume skips it)",
        "ok: iter-00000002 is sound",
        "warning: .iter-00000006.tmp is a leftover of an interrupted write (safe to delete)",
        "warning: metrics.jsonl has 1 unreadable line(s) of 5 (a crash mid-write; resume drops them)");
  }

  @Test
  void aFolderThatIsNotARunSaysSo(@TempDir Path dir) {
    assertThat(RunDoctor.examine(dir).stream().map(RunDoctor.Finding::toString).toList())
        .contains("error: config file " + dir.resolve("config.yaml") + " does not exist",
            "warning: no checkpoint in " + dir.resolve("checkpoints") + " (nothing to resume or evaluate)");
  }
}
