package io.ibreid.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.ConfigException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.run.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** End-to-end training through Guice on the test-only {@code tiny} data set. */
public class TrainerTest {
  public static final String YAML = """
      name: trainer-test
      seed: 11
      data: {type: tiny, root: unused, params: {classes: 6, batches: 4, noise: 0.3}}
      input: {height: 16, width: 8}
      sampler: {identities: 3, instances: 4}
      branches:
        visible:
          encoder: {type: small-resnet, params: {width: 4, stages: [1, 1], observationSize: 16}}
          bottleneck: {type: mlp, params: {dim: 8, hidden: [12]}}
        shared:
          encoder: {type: small-resnet, params: {width: 4, stages: [1, 1], observationSize: 16}}
          bottleneck: {type: mlp, params: {dim: 8, hidden: []}}
      losses:
        - {type: ce, branch: visible}
        - {type: ce, branch: shared}
        - {type: triplet, branch: visible}
        - {type: triplet, name: tri_shared_ir, inputs: {features: shared.infrared.z}}
      optimizer: {lr: 0.003, weightDecay: 0.0005}
      schedule: {epochs: 4, warmupEpochs: 1, milestones: [3]}
      log: {everyIterations: 4}
      """;

  public static Trainer trainer(RunConfig config, Path dir) {
    Injector injector = Guice.createInjector(new TrainingModule(config, dir));
    return injector.getInstance(Trainer.class);
  }

  public static final class Recorder implements TrainerListener {
    final List<IterationRecord> records = new ArrayList<>();

    @Override
    public void onIteration(IterationRecord record) {
      records.add(record);
    }
  }

  @Test
  void trainingDecreasesTheLossAndWritesTheRunDirectory(@TempDir Path dir) throws Exception {
    RunConfig config = ConfigLoader.parse(YAML, List.of("schedule.epochs=10", "schedule.milestones=[3]",
        "optimizer.lr=0.01", "schedule.gamma=0.5"));
    Recorder rec = new Recorder();
    TrainingSummary s = trainer(config, dir).train(false, rec);
    assertThat(s.iterations()).isEqualTo(40);
    double first = rec.records.subList(0, 4).stream().mapToDouble(IterationRecord::loss).average().orElseThrow();
    double last = rec.records.subList(32, 40).stream().mapToDouble(IterationRecord::loss).average().orElseThrow();
    assertThat(last).as("mean loss of the last 8 steps vs the first 4").isLessThan(0.8 * first);
    assertThat(rec.records.get(0).terms()).containsOnlyKeys("ce_visible", "ce_shared", "triplet_visible",
        "tri_shared_ir");
    // warm-up from 0.1 lr to lr over one epoch (4 iterations), then x0.5 at epoch 3
    assertThat(rec.records.get(0).lr()).isEqualTo(0.01 * 0.1, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(rec.records.get(2).lr()).isEqualTo(0.01 * (0.1 * 0.5 + 0.5), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(rec.records.get(4).lr()).isEqualTo(0.01, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(rec.records.get(12).lr()).isEqualTo(0.005, org.assertj.core.data.Offset.offset(1e-12));
    List<JsonNode> metrics = MetricsLog.read(dir.resolve("metrics.jsonl"));
    assertThat(metrics).hasSize(40);
    assertThat(metrics.get(39).get("iteration").asLong()).isEqualTo(39);
    assertThat(metrics.get(0).get("terms").get("ce_visible").asDouble()).isEqualTo(rec.records.get(0).terms()
        .get("ce_visible"));
    assertThat(ConfigLoader.load(dir.resolve("config.yaml"), List.of()).schedule.epochs).isEqualTo(10);
    assertThat(new Checkpoints(dir.resolve("checkpoints"), 2).list()).hasSize(2);
    assertThat(Files.readString(dir.resolve("checkpoints/last")).trim()).isEqualTo("iter-00000040");
  }

  @Test
  void resumeContinuesExactlyWhereAnUninterruptedRunWouldBe(@TempDir Path dir) throws Exception {
    RunConfig config = ConfigLoader.parse(YAML, List.of());
    Trainer whole = trainer(config, dir.resolve("whole"));
    whole.train(false, new Recorder());
    INDArray expected = whole.model().graph().params().dup();
    INDArray expectedUpdater = whole.optimizer().state().dup();

    // Stop mid-epoch (iteration 6 of 16 = epoch 1, batch 2), then resume in a fresh injector.
    Path split = dir.resolve("split");
    trainer(ConfigLoader.parse(YAML, List.of("schedule.maxIterations=6")), split).train(false, new Recorder());
    Trainer resumed = trainer(config, split);
    TrainingSummary s = resumed.train(true, new Recorder());
    assertThat(s.startIteration()).isEqualTo(6);
    assertThat(s.iterations()).isEqualTo(10);

    INDArray actual = resumed.model().graph().params();
    assertThat(actual.length()).isEqualTo(expected.length());
    double maxDiff = actual.sub(expected).amaxNumber().doubleValue();
    assertThat(maxDiff).as("max |param difference|").isLessThan(1e-6);
    assertThat(resumed.optimizer().state().sub(expectedUpdater).amaxNumber().doubleValue()).isLessThan(1e-6);
    List<JsonNode> a = MetricsLog.read(dir.resolve("whole/metrics.jsonl"));
    List<JsonNode> b = MetricsLog.read(split.resolve("metrics.jsonl"));
    assertThat(b).hasSize(16);
    for (int i = 0; i < 16; i++) {
      assertThat(b.get(i).get("loss").asDouble()).as("loss at iteration " + i)
          .isCloseTo(a.get(i).get("loss").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void resumingWithoutACheckpointFailsClearly(@TempDir Path dir) {
    RunConfig config = ConfigLoader.parse(YAML, List.of());
    assertThatThrownBy(() -> trainer(config, dir).train(true, new Recorder()))
        .isInstanceOf(IbreidException.class)
        .hasMessage("cannot resume: " + dir.resolve("config.yaml") + " does not exist (is " + dir
            + " a run directory?)");
    new io.ibreid.core.run.RunDirectory(dir).prepare(config);
    assertThatThrownBy(() -> trainer(config, dir).train(true, new Recorder()))
        .isInstanceOf(IbreidException.class)
        .hasMessage("cannot resume: no valid checkpoint in " + dir.resolve("checkpoints"));
  }

  @Test
  void aTermReadingAnOutputNoBranchProducesFailsBeforeWork(@TempDir Path dir) {
    RunConfig config = ConfigLoader.parse(YAML, List.of("losses.3.inputs.features=infrared.z"));
    assertThatThrownBy(() -> trainer(config, dir))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config key [losses.3.inputs.features] = [infrared.z]: loss term [tri_shared_ir] reads branch "
            + "infrared, which is not configured; branches: [visible, shared]");
    RunConfig unknown = ConfigLoader.parse(YAML, List.of("losses.0.type=vcdx"));
    assertThatThrownBy(() -> trainer(unknown, dir)).hasMessageStartingWith("Unknown loss [vcdx], known "
        + "options [");
    RunConfig noOutput = ConfigLoader.parse(YAML, List.of("losses.3.inputs.features=shared.mu"));
    assertThatThrownBy(() -> trainer(noOutput, dir)).rootCause()
        .hasMessageStartingWith("config key [losses.3.inputs.features] = [shared.mu]: no branch produces it");
  }

  @Test
  void modelSavesAndLoadsParametersAndUpdaterState(@TempDir Path dir) throws Exception {
    RunConfig config = ConfigLoader.parse(YAML, List.of("schedule.maxIterations=2"));
    Trainer t = trainer(config, dir);
    t.train(false, new Recorder());
    Trainer other = trainer(config, dir.resolve("other"));
    ReidModel fresh = other.model();
    Path ckpt = new Checkpoints(dir.resolve("checkpoints"), 2).latestValid().orElseThrow();
    fresh.load(ckpt.resolve("model.zip"));
    other.optimizer().restore(ckpt.resolve("model.zip"));
    assertThat(fresh.graph().params().equalsWithEps(t.model().graph().params(), 0)).isTrue();
    assertThat(other.optimizer().state().equalsWithEps(t.optimizer().state(), 0)).isTrue();
  }
}
