package io.ibreid.loss.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.bottleneck.Bottleneck;
import io.ibreid.core.bottleneck.BottleneckFactory;
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

/** The module's plug-in is found by ServiceLoader and creates each plug-in from an empty params block. */
class BaselinesPluginDiscoveryTest {
  @Test
  void serviceLoaderFindsIbVibAndIbUpper() {
    List<IbreidPlugin> found = ServiceLoader.load(IbreidPlugin.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p instanceof BaselinesPlugin).toList();
    assertThat(found).hasSize(1);
    assertThat(found.get(0).factories()).filteredOn(f -> f.kind() == LossFactory.KIND)
        .extracting(PluginFactory::name).containsExactly("ib", "vib", "ib-upper");
    assertThat(found.get(0).factories()).filteredOn(f -> f.kind() == BottleneckFactory.KIND)
        .extracting(PluginFactory::name).containsExactly("vib", "release-vib");
    Plugins plugins = Plugins.discover();
    LossContext context = new LossContext("ib_shared", 1, 10, Map.of("v", 512, "z", 256, "z_logits", 10,
        "mu", 256, "logvar", 256));
    assertThat(create(plugins.get(LossFactory.KIND, "ib"), context)).isInstanceOf(ClassicIbLoss.class);
    assertThat(create(plugins.get(LossFactory.KIND, "vib"), context)).isInstanceOf(VibLoss.class);
    assertThat(create(plugins.get(LossFactory.KIND, "ib-upper"), context)).isInstanceOf(UpperBoundIbLoss.class);
    Bottleneck b = plugins.get(BottleneckFactory.KIND, "vib").fromConfig(Map.of(),
        "branches.shared.bottleneck.params");
    assertThat(b.representationSize()).isEqualTo(256);
    assertThat(b.noise()).containsExactly(new Bottleneck.NoiseInput("eps", 256));
  }

  private static LossTerm create(LossFactory<?> factory, LossContext context) {
    return factory.fromConfig(Map.of(), "losses.0.params", context);
  }
}
