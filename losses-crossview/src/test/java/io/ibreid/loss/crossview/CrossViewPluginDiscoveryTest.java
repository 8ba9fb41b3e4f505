package io.ibreid.loss.crossview;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.core.plugin.Plugins;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The module's plug-in is found by ServiceLoader and creates each term from an empty params block. */
class CrossViewPluginDiscoveryTest {
  @Test
  void serviceLoaderFindsVcdVmlSinkhornAndRank() {
    List<IbreidPlugin> found = ServiceLoader.load(IbreidPlugin.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p instanceof CrossViewPlugin).toList();
    assertThat(found).hasSize(1);
    assertThat(found.get(0).factories()).extracting(PluginFactory::name)
        .containsExactly("vcd", "vml", "sinkhorn", "rank");
    Plugins plugins = Plugins.discover();
    assertThat(create(plugins.get(LossFactory.KIND, "vcd"))).isInstanceOf(VariationalCrossDistillation.class);
    assertThat(create(plugins.get(LossFactory.KIND, "vml"))).isInstanceOf(VariationalMutualLearning.class);
    assertThat(create(plugins.get(LossFactory.KIND, "sinkhorn"))).isInstanceOf(SinkhornMutualLearning.class);
    assertThat(create(plugins.get(LossFactory.KIND, "rank"))).isInstanceOf(ReleaseRankLoss.class);
  }

  private static LossTerm create(LossFactory<?> factory) {
    return factory.fromConfig(Map.of(), "losses.0.params", new LossContext(factory.name(), 1, 10,
        Map.of("v1", 10, "z1", 10, "v2", 10, "z2", 10, "p", 10, "q", 10, "x", 10)));
  }
}
