package io.ibreid.core.train;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.data.DataContext;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginModule;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.run.RunDirectory;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;

/**
 * Wires a training run from its config: plug-ins discovered by {@link PluginModule}, the data set named by
 * {@code data.type}, the model from {@code branches}, the objective from {@code losses}, and the {@link Trainer}.
 * Plug-in names and parameters are checked before the data set is opened.
 */
public final class TrainingModule extends AbstractModule {
  private final RunConfig config;
  private final Path runDir;
  private final List<IbreidPlugin> plugins;

  /**
   * Also chooses and loads ND4J's native build ({@link io.ibreid.core.natives.NativeRuntime#load()}) on the calling
   * thread, before the training set starts its reader threads. Plug-ins: those ServiceLoader finds.
   */
  public TrainingModule(RunConfig config, Path runDir) {
    this(config, runDir, Plugins.discoverPlugins(List.of()));
  }

  /** As {@link #TrainingModule(RunConfig, Path)}, with exactly {@code plugins} (see {@link Plugins#discoverPlugins}). */
  public TrainingModule(RunConfig config, Path runDir, List<IbreidPlugin> plugins) {
    io.ibreid.core.natives.NativeRuntime.load();
    this.config = config;
    this.runDir = runDir;
    this.plugins = List.copyOf(plugins);
  }

  @Override
  protected void configure() {
    install(new PluginModule(plugins));
    bind(RunConfig.class).toInstance(config);
    bind(RunDirectory.class).toInstance(new RunDirectory(runDir));
    com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder(), Validator.class);
  }

  @Provides
  @Singleton
  TrainingSet trainingSet(RunConfig c, Plugins plugins) {
    ModelAssembly.check(c, plugins);
    DataContext context = new DataContext(Path.of(c.data.root), ImageShape.rgb(c.input.height, c.input.width),
        c.sampler.identities, c.sampler.instances, c.seed, c.data.workers);
    return plugins.dataset(c.data.type).openFromMap(c.data.params, "data.params", context);
  }

  @Provides
  @Singleton
  ReidModel model(RunConfig c, Plugins plugins, TrainingSet data) {
    return ModelAssembly.model(c, plugins, data.imageShape(), data.numClasses());
  }

  @Provides
  @Singleton
  Objective objective(RunConfig c, Plugins plugins, ReidModel model) {
    return ModelAssembly.objective(c, plugins, model);
  }
}
