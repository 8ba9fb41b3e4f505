package io.ibreid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example mains' command line and one main run end to end over the library API on a small generated set. */
class ExamplesTest {
  @Test
  void argumentsNameTheConfigTheRunAndTheOverrides() {
    Examples.Args d = Examples.Args.parse("full", new String[0]);
    assertThat(d.config()).isEqualTo(Path.of("configs/full.yaml"));
    assertThat(d.run()).isEqualTo(Path.of("runs/full"));
    assertThat(d.resume()).isFalse();
    assertThat(d.overrides()).isEmpty();
    Examples.Args a = Examples.Args.parse("vib", new String[] {"--out", "/tmp/x", "schedule.epochs=1", "--resume"});
    assertThat(a.run()).isEqualTo(Path.of("/tmp/x"));
    assertThat(a.resume()).isTrue();
    assertThat(a.overrides()).containsExactly("schedule.epochs=1");
    assertThat(a.options().resume()).isTrue();
    assertThatThrownBy(() -> Examples.Args.parse("vib", new String[] {"--set"}))
        .isInstanceOf(IbreidException.class).hasMessageStartingWith("unexpected argument [--set]; usage:");
  }

  /** Runs an example main on a small generated set with one epoch of two steps; returns what it printed. */
  private static String runSmall(java.util.function.Consumer<String[]> main, Path dir) {
    Path configs = Path.of("").toAbsolutePath().getParent().resolve("configs");
    String previous = System.setProperty("ibreid.configs", configs.toString());
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      main.accept(new String[] {"--out", dir.resolve("run").toString(),
          "data.root=" + dir.resolve("data"), "data.workers=1",
          "data.params={ids: 8, testIds: 4, height: 32, width: 16, images: 2, cameraPresence: 1, holdout: 2}",
          "sampler.identities=3", "sampler.instances=4", "schedule.epochs=1", "schedule.batchesPerEpoch=2",
          "schedule.warmupEpochs=0", "schedule.milestones=[]"});
    } finally {
      System.setOut(out);
      if (previous == null) {
        System.clearProperty("ibreid.configs");
      } else {
        System.setProperty("ibreid.configs", previous);
      }
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void fullExampleTrainsThenComparesTestImages(@TempDir Path dir) throws Exception {
    String text = runSmall(FullExample::main, dir);
    assertThat(text).contains("training full: ", "epoch 1: holdout {mAP=").containsPattern("2 steps in \\d+ s");
    assertThat(text).containsPattern("cosine\\(infrared \\d+, visible \\d+\\) = -?[01]\\.\\d{3}; cosine");
    assertThat(dir.resolve("run/checkpoints/best")).isDirectory();
    assertThat(Files.readString(dir.resolve("run/train.log"))).contains("Training full for 2 iterations");
  }

  @Test
  void aBaselineMainTrainsAndDescribesItsTestFeature(@TempDir Path dir) throws Exception {
    String text = runSmall(CrossviewExample::main, dir);
    assertThat(text).contains("training crossview: ", "epoch 1: holdout {mAP=").containsPattern("2 steps in \\d+ s");
    assertThat(text).containsPattern("test-time feature: \\d+ columns, visible images \\[.+\\], infrared images "
        + "\\[.+\\]");
    assertThat(dir.resolve("run/checkpoints/best")).isDirectory();
  }
}
