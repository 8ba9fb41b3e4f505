package io.ibreid.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.loss.BatchHardTripletLoss;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.observation.ResNet50Encoder;
import io.ibreid.core.observation.SmallResNetEncoder;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PluginDiscoveryTest {
  @Test
  void serviceLoaderFindsTheCorePlugin() {
    assertThat(ServiceLoader.load(IbreidPlugin.class).stream().map(ServiceLoader.Provider::type))
        .contains(CorePlugin.class);
  }

  @Test
  void everyCorePluginIsFoundByNameAndCreatesWithDefaults() {
    Plugins plugins = Plugins.discover();
    assertThat(plugins.encoder("small-resnet").createFromMap(Map.of(), "p")).isInstanceOf(SmallResNetEncoder.class);
    assertThat(plugins.encoder("resnet50").createFromMap(Map.of(), "p")).isInstanceOf(ResNet50Encoder.class);
    assertThat(plugins.bottleneck("mlp").createFromMap(Map.of("dim", 32), "p").representationSize()).isEqualTo(32);
    assertThat(plugins.bottleneck("mlp").createFromMap(Map.of(), "p")).isInstanceOf(MlpBottleneck.class);
    var ce = (CrossEntropyLoss.Factory) plugins.loss("ce");
    assertThat(ce.create(ce.bind(Map.of(), "p"), null)).isInstanceOf(CrossEntropyLoss.class);
    var tri = (BatchHardTripletLoss.Factory) plugins.loss("triplet");
    assertThat(tri.create(tri.bind(Map.of("margin", 0.0), "p"), null)).isInstanceOf(BatchHardTripletLoss.class);
  }

  @Test
  void guiceMapBindersHoldTheSamePlugins() {
    Plugins injected = Guice.createInjector(new PluginModule()).getInstance(Plugins.class);
    for (PluginKind kind : PluginKind.values()) {
      assertThat(injected.all(kind).keySet()).isEqualTo(Plugins.discover().all(kind).keySet());
    }
    assertThat(injected.all(PluginKind.LOSS)).containsKeys("ce", "triplet");
    assertThat(injected.all(PluginKind.ENCODER)).containsKeys("small-resnet", "resnet50");
    assertThat(injected.all(PluginKind.BOTTLENECK)).containsKeys("mlp");
  }

  @Test
  void unknownNamesListTheKnownOptions() {
    Plugins plugins = Plugins.discover();
    String losses = String.join(", ", plugins.all(PluginKind.LOSS).keySet());
    assertThatThrownBy(() -> plugins.loss("x")).isInstanceOf(UnknownPluginException.class)
        .hasMessage("Unknown loss [x], known options [" + losses + "]");
    assertThatThrownBy(() -> plugins.encoder("resnet18"))
        .hasMessageStartingWith("Unknown encoder [resnet18], known options [")
        .hasMessageContaining("small-resnet");
    assertThatThrownBy(() -> plugins.bottleneck("gauss")).hasMessage("Unknown bottleneck [gauss], known options ["
        + String.join(", ", plugins.all(PluginKind.BOTTLENECK).keySet()) + "]");
  }

  @Test
  void unknownOrMistypedParametersNameTheKey() {
    Plugins plugins = Plugins.discover();
    assertThatThrownBy(() -> plugins.bottleneck("mlp").createFromMap(Map.of("dimm", 3), "branches.visible.bottleneck.params"))
        .hasMessageStartingWith("config key [branches.visible.bottleneck.params.dimm] is not a parameter of mlp")
        .hasMessageContaining("dim");
    assertThatThrownBy(() -> plugins.bottleneck("mlp").createFromMap(Map.of("dim", "big"), "b.params"))
        .hasMessageStartingWith("config key [b.params.dim] has a wrong value for mlp");
    assertThatThrownBy(() -> plugins.bottleneck("mlp").createFromMap(Map.of("dim", 0), "b.params"))
        .hasMessageContaining("dim (the z size) must be > 0");
  }
}
