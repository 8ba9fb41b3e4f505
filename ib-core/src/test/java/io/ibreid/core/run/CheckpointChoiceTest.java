package io.ibreid.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.train.TrainerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint that cannot be read is an error where it was asked for, never a quiet substitute (issue 29): a damaged
 * {@code best} (truncated, random or empty model.zip), a {@code last} that points nowhere, a named folder that is not
 * there. {@code doctor --run} calls each an error.
 */
class CheckpointChoiceTest {
  static Path trained(Path dir) {
    Path run = dir.resolve("run");
    TrainerTest.trainer(ConfigLoader.parse(TrainerTest.YAML, List.of("schedule.maxIterations=4",
        "checkpoint.everyIterations=2")), run).train(false, new TrainerTest.Recorder());
    Checkpoints c = new Checkpoints(run.resolve("checkpoints"), 2);
    c.saveBest(run.resolve("checkpoints/iter-00000002"), Map.of("score", 0.5));
    return run;
  }

  @Test
  void aDamagedBestIsAnErrorWhetherNamedOrTheDefault(@TempDir Path dir) throws Exception {
    Path run = trained(dir);
    Checkpoints c = new Checkpoints(run.resolve("checkpoints"), 2);
    Path model = run.resolve("checkpoints/best/model.zip");
    assertThat(c.resolve("best")).isEqualTo(run.resolve("checkpoints/best"));
    byte[] good = Files.readAllBytes(model);
    byte[] random = new byte[good.length];
    new Random(1).nextBytes(random);
    for (byte[] bad : List.of(java.util.Arrays.copyOf(good, good.length / 2), random, new byte[0])) {
      Files.write(model, bad);
      assertThatThrownBy(() -> c.resolve("best")).isInstanceOf(IbreidException.class)
          .hasMessage("the best checkpoint " + run.resolve("checkpoints/best") + " is unusable: model.zip does not "
              + "match its checksum (truncated or corrupt); name another with --checkpoint iter-00000004");
      assertThatThrownBy(c::chosen).hasMessageStartingWith("the best checkpoint");
      assertThatThrownBy(() -> TrainedRun.open(run, "best")).hasMessageStartingWith("the best checkpoint "
          + run.resolve("checkpoints/best") + " is unusable");
      assertThat(RunDoctor.examine(run)).extracting(RunDoctor.Finding::toString).contains("error: best: model.zip "
          + "does not match its checksum (truncated or corrupt) (eval and extract refuse it; name another checkpoint "
          + "with --checkpoint)");
    }
    // best.json without its folder
    io.ibreid.core.io.AtomicFiles.deleteTree(run.resolve("checkpoints/best"));
    assertThatThrownBy(() -> c.resolve("best")).hasMessageStartingWith("the best checkpoint "
        + run.resolve("checkpoints/best") + " is unusable: no manifest.json");
    assertThat(RunDoctor.examine(run)).extracting(RunDoctor.Finding::toString).contains("error: checkpoints/best.json "
        + "records a best checkpoint, but checkpoints/best does not exist");
    // a run without validation stands for its last checkpoint
    Files.delete(run.resolve("checkpoints/best.json"));
    assertThat(c.resolve("best")).isEqualTo(run.resolve("checkpoints/iter-00000004"));
    assertThat(TrainedRun.open(run, "best").checkpoint()).isEqualTo(run.resolve("checkpoints/iter-00000004"));
  }

  @Test
  void lastAndNamedCheckpointsAreCheckedToo(@TempDir Path dir) throws Exception {
    Path run = trained(dir);
    Checkpoints c = new Checkpoints(run.resolve("checkpoints"), 2);
    assertThat(c.resolve("last")).isEqualTo(run.resolve("checkpoints/iter-00000004"));
    assertThat(c.resolve("iter-00000002")).isEqualTo(run.resolve("checkpoints/iter-00000002"));
    Files.write(run.resolve("checkpoints/iter-00000004/terms.zip"), new byte[0]);
    assertThatThrownBy(() -> c.resolve("last")).hasMessage("the last checkpoint "
        + run.resolve("checkpoints/iter-00000004") + " is unusable: terms.zip does not match its checksum (truncated "
        + "or corrupt); name another with --checkpoint iter-00000002");
    assertThatThrownBy(() -> c.resolve("iter-00000009")).hasMessage("checkpoint "
        + run.resolve("checkpoints/iter-00000009") + " does not exist; expected best, last or one of "
        + "[iter-00000002, iter-00000004]");
    assertThatThrownBy(() -> c.resolve("../../etc")).hasMessageStartingWith("checkpoint [../../etc] is not a "
        + "checkpoint name");
    Files.writeString(run.resolve("checkpoints/last"), "iter-00000099\n");
    assertThatThrownBy(() -> c.resolve("last")).hasMessage("the last checkpoint "
        + run.resolve("checkpoints/iter-00000099") + " is unusable: no manifest.json (incomplete write); name another "
        + "with --checkpoint iter-00000002");
    assertThat(RunDoctor.examine(run)).extracting(RunDoctor.Finding::toString)
        .contains("error: checkpoints/last names iter-00000099, which does not exist");
  }
}
