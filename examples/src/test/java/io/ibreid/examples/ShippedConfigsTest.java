package io.ibreid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ibreid.core.ConfigException;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.WiredBatch;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.ConfigValidator;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.testing.TinyTrainingSet;
import io.ibreid.core.assembly.ModelAssembly;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.run.RunDirectory;
import io.ibreid.core.train.Trainer;
import io.ibreid.core.train.TrainerListener;
import io.ibreid.core.train.TrainingSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every shipped configuration parses, names plug-ins that exist with parameters that bind, binds every loss term
 * to outputs its model produces, and evaluates to finite values on a small cross-modal batch; the batches come from
 * {@link TinyTrainingSet} in the config's input shape.
 */
class ShippedConfigsTest {
  static final Path CONFIGS = Path.of("").toAbsolutePath().getParent().resolve("configs");
  /** Smaller batches than the configs' 8 × 4 keep the test fast; the model and the objective are unchanged. */
  static final List<String> SMALL = List.of("sampler.identities=4", "sampler.instances=4");

  /** The discovered plug-ins (synthetic-sysu comes from reid-data; check() only looks its name up). */
  static Plugins plugins() {
    return Plugins.discover();
  }

  static TinyTrainingSet data(RunConfig c) {
    return new TinyTrainingSet(10, ImageShape.rgb(c.input.height, c.input.width), c.sampler.identities,
        c.sampler.instances / 2, 3, c.seed, 0.3);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "baseline-ce | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z",
      "ib          | ce_shared_v, triplet_shared_v, triplet_shared_z, ib_shared",
      "vib         | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z, vib_shared",
      "vsd-shared  | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z, vsd_shared",
      "crossview   | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z, vcd_shared, vml_shared",
      "vsd         | ce_visible_v, ce_visible_z, triplet_visible_v, triplet_visible_z, ce_infrared_v, ce_infrared_z, "
          + "triplet_infrared_v, triplet_infrared_z, vsd_visible, vsd_infrared",
      "full        | ce_visible_v, ce_visible_z, triplet_visible_v, triplet_visible_z, ce_infrared_v, ce_infrared_z, "
          + "triplet_infrared_v, triplet_infrared_z, ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z, "
          + "vsd_visible, vsd_infrared, vcd_shared, vml_shared",
      "full-release | ce_visible_v, ce_visible_z, triplet_visible_v, triplet_visible_z, ce_infrared_v, "
          + "ce_infrared_z, triplet_infrared_v, triplet_infrared_z, ce_shared_v, ce_shared_z, triplet_shared_v, "
          + "triplet_shared_z, vsd_visible, vsd_infrared, vcd_shared, vml_shared",
      "full-release-terms | ce_visible_v, ce_visible_z, triplet_visible_v, triplet_visible_z, ce_infrared_v, "
          + "ce_infrared_z, triplet_infrared_v, triplet_infrared_z, ce_shared_v, ce_shared_z, triplet_shared_v, "
          + "triplet_shared_z, vsd_visible, vsd_infrared, vcd_shared, vml_shared",
      "full-release-cml | ce_visible_v, ce_visible_z, rank_visible_v, rank_visible_z, ce_infrared_v, "
          + "ce_infrared_z, rank_infrared_v, rank_infrared_z, ce_shared_v, ce_shared_z, rank_shared_raw_v, "
          + "rank_shared_gray_v, rank_shared_raw_z, rank_shared_gray_z, vsd_visible, vsd_infrared, vcd_shared, "
          + "vml_shared, cml",
      "ib-upper    | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z, ib-upper_shared",
      "vib-tuned   | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z, vib_shared",
      "crossview-release | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z, vcd_shared, vml_shared",
      "crossview-release-kl | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z, vcd_shared, vml_shared",
      "crossview-release-vib | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z, vcd_shared, "
          + "vml_shared",
      "baseline-release | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z",
      "baseline-ce-2x | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z",
      "crossview-2x | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z, vcd_shared, vml_shared",
      "baseline-ce-gray | ce_shared_v, ce_shared_z, triplet_shared_v, triplet_shared_z"})
  void configResolvesBuildsAndEvaluates(String name, String labels) {
    RunConfig config = ConfigLoader.load(CONFIGS.resolve(name + ".yaml"), SMALL);
    assertThat(config.name).isEqualTo(name);
    assertThat(config.data.type).isEqualTo("synthetic-sysu");
    assertThat(config.data.root).isEqualTo("data/lab-sysu");
    Plugins plugins = plugins();
    ConfigValidator.validate(config, plugins);
    TinyTrainingSet data = data(config);
    ReidModel model = ModelAssembly.model(config, plugins, data.imageShape(), data.numClasses());
    Objective objective = ModelAssembly.objective(config, plugins, model);
    assertThat(objective.terms()).extracting(Objective.BoundTerm::label)
        .containsExactly(labels.split(",\\s*"));
    for (List<String> keys : List.of(config.evaluation.visible, config.evaluation.infrared)) {
      assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(model.outputs()).contains(k.replaceAll("@.*", "")));
    }
    CrossModalBatch batch = data.batch(0, 0);
    Objective.Evaluation[] eval = new Objective.Evaluation[1];
    WiredBatch wired = model.wire(batch);
    model.forwardBackward(wired, 1, outs -> {
      eval[0] = objective.evaluate(outs, wired, 0);
      return eval[0].errors();
    });
    assertThat(eval[0].nonFiniteTerm()).isNull();
    assertThat(eval[0].values().keySet()).containsExactly(labels.split(",\\s*"));
    assertThat(eval[0].values().values()).allSatisfy(v -> assertThat(v).isFinite());
    assertThat(eval[0].total()).isFinite().isPositive();
  }

  /** The full method trains through the real Trainer and logs every term, and the MI/KL diagnostics, per step. */
  @Test
  void fullTrainsAndLogsEveryTermPerStep(@TempDir Path dir) throws Exception {
    RunConfig config = ConfigLoader.load(CONFIGS.resolve("full.yaml"),
        List.of("sampler.identities=4", "sampler.instances=4", "schedule.maxIterations=3"));
    Plugins plugins = plugins();
    ConfigValidator.validate(config, plugins);
    TinyTrainingSet data = data(config);
    ReidModel model = ModelAssembly.model(config, plugins, data.imageShape(), data.numClasses());
    Objective objective = ModelAssembly.objective(config, plugins, model);
    TrainingSummary s = new Trainer(config, model, objective, data, new RunDirectory(dir))
        .train(false, new TrainerListener() {});
    assertThat(s.iterations()).isEqualTo(3);
    List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
    assertThat(lines).hasSize(3);
    JsonNode last = new ObjectMapper().readTree(lines.get(2));
    assertThat(last.toString()).contains("vsd_visible", "vsd_infrared", "vcd_shared", "vml_shared",
        "vcd_shared.kl_v1_z2", "vsd_visible.agreement");
  }

  /** Terms bound to a branch they do not apply to fail before training, naming the config key. */
  @Test
  void misboundTermsFailNamingTheKey() {
    Plugins plugins = plugins();
    RunConfig vcdOnVisible = ConfigLoader.load(CONFIGS.resolve("vsd.yaml"),
        List.of("losses.10={type: vcd, branch: visible}"));
    assertThatThrownBy(() -> ConfigValidator.validate(vcdOnVisible, plugins)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config key [losses.10.branch] = [visible]: vcd pairs the visible and infrared")
        .hasMessageContaining("needs branch: shared");
    RunConfig vibOnMlp = ConfigLoader.load(CONFIGS.resolve("baseline-ce.yaml"),
        List.of("losses.4={type: vib, branch: shared}", "sampler.identities=2", "sampler.instances=2"));
    ConfigValidator.validate(vibOnMlp, plugins);
    TinyTrainingSet data = data(vibOnMlp);
    ReidModel model = ModelAssembly.model(vibOnMlp, plugins, data.imageShape(), data.numClasses());
    assertThatThrownBy(() -> ModelAssembly.objective(vibOnMlp, plugins, model)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("losses.4.inputs.").hasMessageContaining("shared.mu");
  }

}
