package io.ibreid.core.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import io.ibreid.core.bottleneck.BottleneckFactory;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.observation.EncoderFactory;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Guice module that discovers every {@link IbreidPlugin} with ServiceLoader and binds each factory by name in a
 * {@link MapBinder} per kind; {@link Plugins} is the registry injected from those maps. Two factories of one kind
 * with the same name fail the injector with Guice's duplicate-key error.
 */
public final class PluginModule extends AbstractModule {
  private final List<IbreidPlugin> plugins;

  public PluginModule() {
    this(ServiceLoader.load(IbreidPlugin.class).stream().map(ServiceLoader.Provider::get).toList());
  }

  public PluginModule(List<IbreidPlugin> plugins) {
    this.plugins = List.copyOf(plugins);
  }

  @Override
  protected void configure() {
    MapBinder<String, EncoderFactory<?>> encoders =
        MapBinder.newMapBinder(binder(), new TypeLiteral<String>() {}, new TypeLiteral<EncoderFactory<?>>() {});
    MapBinder<String, BottleneckFactory<?>> bottlenecks =
        MapBinder.newMapBinder(binder(), new TypeLiteral<String>() {}, new TypeLiteral<BottleneckFactory<?>>() {});
    MapBinder<String, LossFactory<?>> losses =
        MapBinder.newMapBinder(binder(), new TypeLiteral<String>() {}, new TypeLiteral<LossFactory<?>>() {});
    MapBinder<String, DatasetFactory<?>> datasets =
        MapBinder.newMapBinder(binder(), new TypeLiteral<String>() {}, new TypeLiteral<DatasetFactory<?>>() {});
    for (IbreidPlugin plugin : plugins) {
      plugin.encoders().forEach(f -> encoders.addBinding(f.name()).toInstance(f));
      plugin.bottlenecks().forEach(f -> bottlenecks.addBinding(f.name()).toInstance(f));
      plugin.losses().forEach(f -> losses.addBinding(f.name()).toInstance(f));
      plugin.datasets().forEach(f -> datasets.addBinding(f.name()).toInstance(f));
    }
    bind(Plugins.class);
  }
}
