package io.ibreid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.run.RunDirectory;
import io.ibreid.core.testing.TinyTrainingSet;
import io.ibreid.core.train.IterationRecord;
import io.ibreid.core.assembly.ModelAssembly;
import io.ibreid.core.train.Trainer;
import io.ibreid.core.train.TrainerListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A measurement, not part of CI: trains {@code configs/full.yaml} for {@code -Dibreid.measure=ITERATIONS} steps on
 * {@link TinyTrainingSet} batches in the config's shape and logs every term's mean over the first and the last five
 * steps, also written to {@code examples/target/full-run-measurement.txt} (the examples' console log shows
 * warnings only). Run with
 * {@code mvn -B -o -pl examples -am test -Dtest=FullRunMeasurement -Dsurefire.failIfNoSpecifiedTests=false
 * -Dibreid.measure=60}.
 */
@EnabledIfSystemProperty(named = "ibreid.measure", matches = "\\d+")
class FullRunMeasurement {
  private static final Logger LOG = LoggerFactory.getLogger(FullRunMeasurement.class);

  @Test
  void fullRunTermsMove(@TempDir Path dir) throws java.io.IOException {
    int iterations = Integer.parseInt(System.getProperty("ibreid.measure"));
    RunConfig config = ConfigLoader.load(ShippedConfigsTest.CONFIGS.resolve("full.yaml"),
        List.of("schedule.maxIterations=" + iterations, "schedule.epochs=1000", "schedule.warmupEpochs=0",
            "schedule.milestones=[]"));
    Plugins plugins = ShippedConfigsTest.plugins();
    TinyTrainingSet data = new TinyTrainingSet(16, io.ibreid.core.observation.ImageShape.rgb(config.input.height,
        config.input.width), config.sampler.identities, config.sampler.instances / 2, 8, config.seed, 0.3);
    ReidModel model = ModelAssembly.model(config, plugins, data.imageShape(), data.numClasses());
    Objective objective = ModelAssembly.objective(config, plugins, model);
    List<IterationRecord> records = new ArrayList<>();
    new Trainer(config, model, objective, data, new RunDirectory(dir)).train(false, new TrainerListener() {
      @Override
      public void onIteration(IterationRecord record) {
        records.add(record);
      }
    });
    Map<String, double[]> startEnd = new TreeMap<>();
    int k = Math.min(5, records.size() / 2);
    for (int i = 0; i < records.size(); i++) {
      boolean start = i < k;
      boolean end = i >= records.size() - k;
      if (!start && !end) {
        continue;
      }
      Map<String, Double> all = new TreeMap<>(records.get(i).terms());
      all.put("total", records.get(i).loss());
      for (Map.Entry<String, Double> e : all.entrySet()) {
        double[] se = startEnd.computeIfAbsent(e.getKey(), x -> new double[2]);
        se[start ? 0 : 1] += e.getValue() / k;
      }
    }
    StringBuilder sb = new StringBuilder();
    startEnd.forEach((term, se) -> sb.append(String.format("%-20s start %9.4f  end %9.4f%n", term, se[0], se[1])));
    String report = String.format("full on TinyTrainingSet (16 ids, %dx%d, %d pairs/batch), %d iterations, mean of "
        + "first/last %d steps:%n%s", config.input.height, config.input.width,
        config.sampler.identities * config.sampler.instances / 2, records.size(), k, sb);
    LOG.info(report);
    java.nio.file.Files.writeString(Path.of("target", "full-run-measurement.txt"), report);
    assertThat(records).hasSize(iterations);
  }
}
