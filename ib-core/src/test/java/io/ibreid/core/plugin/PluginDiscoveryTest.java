package io.ibreid.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import io.ibreid.core.bottleneck.BottleneckFactory;
import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.builtin.CorePlugin;
import io.ibreid.core.loss.BatchHardTripletLoss;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.observation.ResNet50Encoder;
import io.ibreid.core.observation.SmallResNetEncoder;
import java.util.List;
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
    assertThat(plugins.get(EncoderFactory.KIND, "small-resnet").fromConfig(Map.of(), "p"))
        .isInstanceOf(SmallResNetEncoder.class);
    assertThat(plugins.get(EncoderFactory.KIND, "resnet50").fromConfig(Map.of(), "p"))
        .isInstanceOf(ResNet50Encoder.class);
    assertThat(plugins.get(BottleneckFactory.KIND, "mlp").fromConfig(Map.of("dim", 32), "p").representationSize())
        .isEqualTo(32);
    assertThat(plugins.get(BottleneckFactory.KIND, "mlp").fromConfig(Map.of(), "p")).isInstanceOf(MlpBottleneck.class);
    assertThat(plugins.get(LossFactory.KIND, "ce").fromConfig(Map.of(), "p", null))
        .isInstanceOf(CrossEntropyLoss.class);
    assertThat(plugins.get(LossFactory.KIND, "triplet").fromConfig(Map.of("margin", 0.0), "p", null))
        .isInstanceOf(BatchHardTripletLoss.class);
  }

  @Test
  void everyFactoryIsFiledUnderItsKind() {
    Plugins plugins = Plugins.discover();
    assertThat(plugins.all(LossFactory.KIND)).containsKeys("ce", "triplet");
    assertThat(plugins.all(EncoderFactory.KIND)).containsKeys("small-resnet", "resnet50");
    assertThat(plugins.all(BottleneckFactory.KIND)).containsKeys("mlp");
    for (PluginKind<?> kind : CorePlugin.KINDS) {
      assertThat(plugins.all(kind).values()).allSatisfy(f -> assertThat(f).isInstanceOf(kind.factoryType()));
    }
  }

  @Test
  void unknownNamesListTheKnownOptions() {
    Plugins plugins = Plugins.discover();
    String losses = String.join(", ", plugins.all(LossFactory.KIND).keySet());
    assertThatThrownBy(() -> plugins.get(LossFactory.KIND, "x")).isInstanceOf(UnknownPluginException.class)
        .hasMessage("Unknown loss [x], known options [" + losses + "]");
    assertThatThrownBy(() -> plugins.get(EncoderFactory.KIND, "resnet18"))
        .hasMessageStartingWith("Unknown encoder [resnet18], known options [")
        .hasMessageContaining("small-resnet");
    assertThatThrownBy(() -> plugins.get(BottleneckFactory.KIND, "gauss"))
        .hasMessage("Unknown bottleneck [gauss], known options ["
            + String.join(", ", plugins.all(BottleneckFactory.KIND).keySet()) + "]");
  }

  @Test
  void unknownOrMistypedParametersNameTheKey() {
    BottleneckFactory<?> mlp = Plugins.discover().get(BottleneckFactory.KIND, "mlp");
    assertThatThrownBy(() -> mlp.fromConfig(Map.of("dimm", 3), "branches.visible.bottleneck.params"))
        .hasMessageStartingWith("config key [branches.visible.bottleneck.params.dimm] is not a parameter of mlp")
        .hasMessageContaining("dim");
    assertThatThrownBy(() -> mlp.fromConfig(Map.of("dim", "big"), "b.params"))
        .hasMessageStartingWith("config key [b.params.dim] has a wrong value for mlp");
    assertThatThrownBy(() -> mlp.fromConfig(Map.of("dim", 0), "b.params"))
        .hasMessageContaining("dim (the z size) must be > 0");
  }

  /** Plug-ins registered in code, after those ServiceLoader finds; one class registered both ways counts once. */
  @Test
  void extraPluginsJoinTheDiscoveredOnesAndTwoOfOneNameFail() {
    Plugins plugins = Plugins.discover(new Renamed("ce-copy"), new CorePlugin());
    assertThat(plugins.all(LossFactory.KIND)).containsKeys("ce", "ce-copy");
    assertThatThrownBy(() -> Plugins.discover(new Renamed("ce")))
        .isExactlyInstanceOf(IbreidException.class)
        .hasMessage("Two loss plug-ins are named [ce]: " + CrossEntropyLoss.Factory.class.getName() + " and "
            + Renamed.Factory.class.getName());
  }

  /** A cross-entropy loss under another name. */
  private record Renamed(String name) implements IbreidPlugin {
    @Override
    public List<PluginFactory<?>> factories() {
      return List.of(new Factory(name));
    }

    record Factory(String name) implements LossFactory<CrossEntropyLoss.Params> {
      private static final CrossEntropyLoss.Factory CE = new CrossEntropyLoss.Factory();

      @Override
      public String description() {
        return CE.description();
      }

      @Override
      public Class<CrossEntropyLoss.Params> parametersType() {
        return CE.parametersType();
      }

      @Override
      public List<Slot> slots(CrossEntropyLoss.Params params) {
        return CE.slots(params);
      }

      @Override
      public Map<String, String> defaultInputs(String branch, CrossEntropyLoss.Params params) {
        return CE.defaultInputs(branch, params);
      }

      @Override
      public LossTerm create(CrossEntropyLoss.Params params, LossContext context) {
        return CE.create(params, context);
      }
    }
  }
}
