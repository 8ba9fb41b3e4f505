package io.ibreid.loss.crossview;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.plugin.IbreidPlugin;
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
    assertThat(found.get(0).losses()).extracting(LossFactory::name).containsExactly("vcd", "vml", "sinkhorn", "rank");
    Plugins plugins = Plugins.discover();
    assertThat(create(plugins.loss("vcd"))).isInstanceOf(VariationalCrossDistillation.class);
    assertThat(create(plugins.loss("vml"))).isInstanceOf(VariationalMutualLearning.class);
    assertThat(create(plugins.loss("sinkhorn"))).isInstanceOf(SinkhornMutualLearning.class);
    assertThat(create(plugins.loss("rank"))).isInstanceOf(ReleaseRankLoss.class);
  }

  private static <P> LossTerm create(LossFactory<P> factory) {
    P params = factory.bind(Map.of(), "losses.0.params");
    return factory.create(params, new LossContext(factory.name(), 1, 10,
        Map.of("v1", 10, "z1", 10, "v2", 10, "z2", 10, "p", 10, "q", 10, "x", 10)));
  }
}
