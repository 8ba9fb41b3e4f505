package io.ibreid.loss.vsd;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.core.plugin.Plugins;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The module's plug-in is found by ServiceLoader and creates its term from an empty params block. */
class VsdPluginDiscoveryTest {
  @Test
  void serviceLoaderFindsVsdAndCreatesItWithMinimalParams() {
    List<IbreidPlugin> found = ServiceLoader.load(IbreidPlugin.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p instanceof VsdPlugin).toList();
    assertThat(found).hasSize(1);
    assertThat(found.get(0).factories()).extracting(PluginFactory::name).containsExactly("vsd");
    assertThat(Plugins.discover().get(LossFactory.KIND, "vsd").fromConfig(Map.of(), "losses.0.params",
        new LossContext("vsd_visible", 1, 10, Map.of("v_logits", 10, "z_logits", 10))))
        .isInstanceOf(VariationalSelfDistillation.class);
  }
}
