package io.ibreid.core.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.ConfigException;
import io.ibreid.core.plugin.Plugins;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ConfigValidator#validate(RunConfig, Plugins)} names an evaluation key whose output no branch produces, before
 * any data is read.
 */
class EvaluationKeysCheckTest {
  @Test
  void unknownOutputsOfFeatureSetsAreOneLineNamingTheKey() {
    Plugins plugins = Plugins.discover();
    ConfigValidator.validate(ConfigLoader.parse(ConfigLoaderTest.YAML, List.of("evaluation.featureSets.vz.visible="
        + "[shared.v, shared.z@gray]", "evaluation.featureSets.vz.infrared=[shared.v, shared.z]")), plugins);
    assertThatThrownBy(() -> ConfigValidator.validate(ConfigLoader.parse(ConfigLoaderTest.YAML, List.of(
        "evaluation.featureSets.vz.visible=[shared.v, shared.mu]", "evaluation.featureSets.vz.infrared=[shared.v]")),
        plugins))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config key [evaluation.featureSets.vz.visible.1] = [shared.mu]: branch shared has no output [mu]; "
            + "its outputs: [v, z, v_logits, z_logits]");
    assertThatThrownBy(() -> ConfigValidator.validate(ConfigLoader.parse(ConfigLoaderTest.YAML, List.of(
        "evaluation.visible=[visible.zz]")), plugins))
        .hasMessage("config key [evaluation.visible.0] = [visible.zz]: branch visible has no output [zz]; "
            + "its outputs: [v, z, v_logits, z_logits]");
  }
}
