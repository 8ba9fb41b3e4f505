package io.ibreid.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import com.google.inject.multibindings.OptionalBinder;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.run.Checkpoints;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's hooks as a listener sees them: per step the iteration, then a due checkpoint, then (after a validated
 * epoch) the validation; the best checkpoint kept by score, and the validation records in {@code metrics.jsonl}.
 */
class TrainingHooksTest {
  /** Scores 2, then 1, by call: the first validated epoch stays the best. */
  static final class ScriptedValidator implements Validator {
    final double[] scores = {2.0, 1.0};
    int calls;

    @Override
    public String metric() {
      return "mAP";
    }

    @Override
    public Map<String, Double> validate(ReidModel model) {
      return Map.of("mAP", scores[calls++]);
    }
  }

  /** Every event as one line, in the order it arrived. */
  static final class Transcript implements TrainerListener {
    final List<String> lines = new ArrayList<>();

    @Override
    public void onStart(long startIteration, long totalIterations, String description) {
      lines.add("start " + startIteration + "/" + totalIterations);
    }

    @Override
    public void onIteration(IterationRecord record) {
      lines.add("step " + record.iteration());
    }

    @Override
    public void onCheckpoint(Path checkpoint) {
      lines.add("checkpoint " + checkpoint.getFileName());
    }

    @Override
    public void onEpochEnd(int epoch, IterationRecord last) {
      lines.add("epoch " + epoch + " ends after step " + last.iteration());
    }

    @Override
    public void onValidation(int epoch, Map<String, Double> scores) {
      lines.add("validation " + epoch + " " + scores);
    }

    @Override
    public void onFinish(TrainingSummary summary) {
      lines.add("finish " + summary.iterations() + " " + summary.checkpoint().getFileName());
    }

    @Override
    public void onLog(Level level, String message) {
      if (message.startsWith("new best")) {
        lines.add(message);
      }
    }
  }

  @Test
  void aListenerSeesStepsCheckpointsAndValidationsInOrder(@TempDir Path dir) throws Exception {
    // 3 epochs of 4 batches; a checkpoint every 3 steps and at epoch ends; validation every 2 epochs and after the last
    RunConfig config = ConfigLoader.parse(TrainerTest.YAML, List.of("schedule.epochs=3",
        "checkpoint.everyIterations=3", "checkpoint.keep=10", "validation.everyEpochs=2"));
    ScriptedValidator validator = new ScriptedValidator();
    Trainer trainer = Guice.createInjector(new TrainingModule(config, dir),
        b -> OptionalBinder.newOptionalBinder(b, Validator.class).setBinding().toInstance(validator))
        .getInstance(Trainer.class);
    Transcript transcript = new Transcript();
    trainer.train(false, transcript);

    assertThat(transcript.lines).containsExactly(
        "start 0/12",
        "step 0", "step 1", "step 2", "checkpoint iter-00000003",
        "step 3", "checkpoint iter-00000004", "epoch 0 ends after step 3",
        "step 4", "step 5", "checkpoint iter-00000006",
        "step 6", "step 7", "checkpoint iter-00000008", "validation 1 {mAP=2.0}", "new best mAP 2.0 at epoch 2",
        "epoch 1 ends after step 7",
        "step 8", "checkpoint iter-00000009",
        "step 9", "step 10", "step 11", "checkpoint iter-00000012", "validation 2 {mAP=1.0}",
        "epoch 2 ends after step 11",
        "finish 12 iter-00000012");

    Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"), 10);
    assertThat(checkpoints.best()).hasValueSatisfying(best -> {
      assertThat(best).containsEntry("checkpoint", "iter-00000008").containsEntry("score", 2.0)
          .containsEntry("epoch", 2).containsEntry("iteration", 8);
    });
    assertThat(checkpoints.chosen()).contains(dir.resolve("checkpoints/best"));
    assertThat(new ObjectMapper().readTree(dir.resolve("checkpoints/best/state.json").toFile()).get("iteration")
        .asLong()).isEqualTo(8);

    List<JsonNode> metrics = MetricsLog.read(dir.resolve("metrics.jsonl"));
    assertThat(metrics).hasSize(14);
    assertThat(metrics.get(8).get("validation").get("mAP").asDouble()).isEqualTo(2.0);
    assertThat(metrics.get(8).get("iteration").asLong()).isEqualTo(7);
    assertThat(metrics.get(8).get("epoch").asInt()).isEqualTo(1);
    assertThat(metrics.get(13).get("validation").get("mAP").asDouble()).isEqualTo(1.0);
    assertThat(metrics.get(13).get("iteration").asLong()).isEqualTo(11);
  }

  @Test
  void withoutValidationTheNewestCheckpointStandsForTheRun(@TempDir Path dir) {
    RunConfig config = ConfigLoader.parse(TrainerTest.YAML, List.of("schedule.maxIterations=6"));
    TrainerTest.trainer(config, dir).train(false, new TrainerListener() { });
    Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints"), 2);
    assertThat(checkpoints.best()).isEmpty();
    assertThat(checkpoints.chosen()).contains(dir.resolve("checkpoints/iter-00000006"));
  }
}
