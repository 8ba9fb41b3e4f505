package io.ibreid.encoders.fast;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.train.IterationRecord;
import io.ibreid.core.train.Trainer;
import io.ibreid.core.train.TrainerListener;
import io.ibreid.core.train.TrainingModule;
import io.ibreid.core.train.TrainingSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ib-core's trainer with {@code fast-resnet} branches, configured by name: the loss falls, a resume is exact. */
class FastResNetTrainingTest {
  static final String YAML = """
      name: fast-resnet-training
      seed: 5
      data: {type: tiny, root: unused, params: {classes: 6, batches: 4, noise: 0.3}}
      input: {height: 16, width: 8}
      sampler: {identities: 3, instances: 4}
      branches:
        visible:
          encoder: {type: fast-resnet, params: {width: 4, stages: [1, 1], observationSize: 16}}
          bottleneck: {type: mlp, params: {dim: 8, hidden: [12]}}
        shared:
          encoder: {type: fast-resnet, params: {width: 4, stages: [1, 1], observationSize: 16}}
          bottleneck: {type: mlp, params: {dim: 8, hidden: []}}
      losses:
        - {type: ce, branch: visible}
        - {type: ce, branch: shared}
        - {type: triplet, branch: visible}
      optimizer: {lr: 0.01, weightDecay: 0.0005}
      schedule: {epochs: 10, warmupEpochs: 1, milestones: [3], gamma: 0.5}
      log: {everyIterations: 8}
      """;

  static Trainer trainer(RunConfig config, Path dir) {
    return Guice.createInjector(new TrainingModule(config, dir)).getInstance(Trainer.class);
  }

  static final class Recorder implements TrainerListener {
    final List<IterationRecord> records = new ArrayList<>();

    @Override
    public void onIteration(IterationRecord record) {
      records.add(record);
    }
  }

  @Test
  void trainingLowersTheLossAndResumesExactly(@TempDir Path dir) throws Exception {
    RunConfig config = ConfigLoader.parse(YAML, List.of());
    Recorder rec = new Recorder();
    Trainer whole = trainer(config, dir.resolve("whole"));
    TrainingSummary s = whole.train(false, rec);
    assertThat(s.iterations()).isEqualTo(40);
    double first = rec.records.subList(0, 4).stream().mapToDouble(IterationRecord::loss).average().orElseThrow();
    double last = rec.records.subList(32, 40).stream().mapToDouble(IterationRecord::loss).average().orElseThrow();
    assertThat(last).as("mean loss of the last 8 steps vs the first 4").isLessThan(0.8 * first);
    INDArray expected = whole.model().graph().params().dup();

    Path split = dir.resolve("split");
    trainer(ConfigLoader.parse(YAML, List.of("schedule.maxIterations=10")), split).train(false, new Recorder());
    Trainer resumed = trainer(config, split);
    assertThat(resumed.train(true, new Recorder()).startIteration()).isEqualTo(10);
    // Parameters include the trunk's running statistics, updated in place by each training forward pass.
    assertThat(resumed.model().graph().params().sub(expected).amaxNumber().doubleValue()).isLessThan(1e-6);
  }
}
