package io.ibreid.core.config;

import io.ibreid.core.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class ConfigLoaderTest {
  public static final String YAML = """
      name: test
      seed: 3
      data: {type: tiny, root: /tmp/none, params: {classes: 5}}
      input: {height: 16, width: 8}
      sampler: {identities: 3, instances: 4}
      branches:
        visible:
          encoder: {type: small-resnet, params: {width: 4, stages: [1, 1], observationSize: 16}}
          bottleneck: {type: mlp, params: {dim: 8, hidden: []}}
        shared:
          encoder: {type: small-resnet, params: {width: 4}}
          bottleneck: {type: mlp}
      losses:
        - {type: ce, branch: visible}
        - {type: ce, branch: visible, params: {on: v}, weight: 0.5}
        - {type: triplet, name: tri, inputs: {features: shared.visible.z}}
      schedule: {epochs: 3, milestones: [2], warmupEpochs: 0.5}
      """;

  @Test
  void roundTripsThroughTheResolvedYaml(@TempDir Path dir) throws Exception {
    RunConfig c = ConfigLoader.parse(YAML, List.of());
    String resolved = ConfigLoader.toYaml(c);
    Files.writeString(dir.resolve("c.yaml"), resolved);
    RunConfig again = ConfigLoader.load(dir.resolve("c.yaml"), List.of());
    assertThat(ConfigLoader.toYaml(again)).isEqualTo(resolved);
    assertThat(again).usingRecursiveComparison().isEqualTo(c);
    assertThat(again.branches).containsOnlyKeys("visible", "shared");
    assertThat(again.losses).hasSize(3);
    assertThat(LossLabels.label(again.losses.get(0))).isEqualTo("ce_visible");
    assertThat(LossLabels.label(again.losses.get(1))).isEqualTo("ce_visible_v");
    assertThat(again.schedule.milestones).containsExactly(2);
  }

  @Test
  void overridesSetNestedKeysListsAndNewEntries() {
    RunConfig c = ConfigLoader.parse(YAML, List.of("schedule.epochs=7", "losses.1.weight=2.5",
        "branches.visible.bottleneck.params.dim=4", "sampler.identities=4", "name=x y"));
    assertThat(c.schedule.epochs).isEqualTo(7);
    assertThat(c.losses.get(1).weight).isEqualTo(2.5);
    assertThat(c.branches.get("visible").bottleneck.params).containsEntry("dim", 4);
    assertThat(c.name).isEqualTo("x y");
  }

  @Test
  void unknownKeysAreNamedWithTheirPath() {
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("schedule.epoch=7")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config key [schedule.epoch] is not known")
        .hasMessageContaining("epochs");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML + "optimiser: {lr: 1}\n", List.of()))
        .hasMessageStartingWith("config key [optimiser] is not known");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("losses.0.wieght=1")))
        .hasMessageStartingWith("config key [losses.0.wieght] is not known");
  }

  @Test
  void wrongTypesAndRangesAreNamed() {
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("schedule.epochs=many")))
        .hasMessageStartingWith("config key [schedule.epochs] has value [many], expected an integer");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("sampler.instances=3")))
        .hasMessage("config key [sampler.instances] = [3]: expected an even integer >= 2 (K images per identity: "
            + "K/2 visible + K/2 infrared)");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("branches.thermal.encoder.type=small-resnet")))
        .hasMessageContaining("[branches.thermal]").hasMessageContaining("[visible, infrared, shared]");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("schedule.milestones=[3, 2]")))
        .hasMessageStartingWith("config key [schedule.milestones.1] = [2]");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("optimizer.lr=0")))
        .hasMessageStartingWith("config key [optimizer.lr] = [0.0]");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("onNonFinite=ignore")))
        .hasMessageContaining("one of [stop, skip]");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("losses.2.name=ce_visible")))
        .hasMessageContaining("two terms labelled [ce_visible]");
  }

  @Test
  void badFilesAndOverridesGiveOneLine(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml"), List.of()))
        .hasMessage("config file " + dir.resolve("missing.yaml") + " does not exist");
    Files.writeString(dir.resolve("bad.yaml"), "seed: [1\nname: x\n");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("bad.yaml"), List.of()))
        .hasMessageStartingWith("config file " + dir.resolve("bad.yaml") + " is not valid YAML at line");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("noequals")))
        .hasMessage("override [noequals] must look like key.path=value");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("seed.x=1")))
        .hasMessageContaining("[seed] is a value, not a mapping");
  }

  @Test
  void featureSetsAndTheWiringParseAndRoundTrip(@TempDir Path dir) throws Exception {
    RunConfig c = ConfigLoader.parse(YAML + """
        wiring: release
        evaluation:
          visible: [shared.z]
          infrared: [shared.z]
          featureSets:
            shared-v: {visible: [shared.v], infrared: [shared.v]}
            release: {visible: [visible.v, shared.v@gray], infrared: [visible.v, shared.v@gray]}
        """, List.of());
    assertThat(c.wiring).isEqualTo("release");
    assertThat(c.evaluation.featureSets).containsOnlyKeys("shared-v", "release");
    assertThat(c.evaluation.featureSets.get("release").infrared).containsExactly("visible.v", "shared.v@gray");
    Files.writeString(dir.resolve("c.yaml"), ConfigLoader.toYaml(c));
    RunConfig again = ConfigLoader.load(dir.resolve("c.yaml"), List.of());
    assertThat(again).usingRecursiveComparison().isEqualTo(c);
    // no sets: no featureSets key in the resolved config
    assertThat(ConfigLoader.toYaml(ConfigLoader.parse(YAML, List.of()))).doesNotContain("featureSets")
        .contains("wiring: paper");
  }

  @Test
  void badFeatureSetsAndWiringAreOneLineNamingTheKey() {
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("evaluation.featureSets.x.visible=[thermal.v]",
        "evaluation.featureSets.x.infrared=[shared.v]")))
        .hasMessage("config key [evaluation.featureSets.x.visible.0] names branch [thermal], expected one of "
            + "[visible, infrared, shared]");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("evaluation.featureSets.x.visible=[infrared.v]",
        "evaluation.featureSets.x.infrared=[shared.v]")))
        .hasMessage("config key [evaluation.featureSets.x.visible.0] = [infrared.v] reads branch infrared, which is "
            + "not configured; branches: [visible, shared]");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("evaluation.featureSets.x.visible=[shared.v]")))
        .hasMessage("config key [evaluation.featureSets.x.infrared]: expected a non-empty list of output keys, e.g. "
            + "[shared.v]");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("evaluation.featureSets.x.visible=[shared]",
        "evaluation.featureSets.x.infrared=[shared.v]")))
        .hasMessage("config key [evaluation.featureSets.x.visible.0] = [shared] is not an evaluation key; expected "
            + "branch.output or branch.output@raw|gray, e.g. shared.z or shared.v@gray");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("evaluation.featureSets.x.visible=[shared.v@sepia]",
        "evaluation.featureSets.x.infrared=[shared.v]")))
        .hasMessage("config key [evaluation.featureSets.x.visible.0] names input transform [sepia], expected one of "
            + "[raw, gray]");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("evaluation.featureSets.x.visble=[shared.v]")))
        .hasMessageStartingWith("config key [evaluation.featureSets.x.visble] is not known (in <text>); known keys "
            + "here: [infrared, visible]");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("evaluation.featureSets={a b: {visible: [shared.v], "
        + "infrared: [shared.v]}}")))
        .hasMessageStartingWith("config key [evaluation.featureSets.a b]: a feature set name must be");
    assertThatThrownBy(() -> ConfigLoader.parse(YAML, List.of("wiring=relase")))
        .hasMessage("config key [wiring] = [relase]: expected one of [paper, release]");
  }
}
