package io.ibreid.core.train;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.OptionalBinder;
import io.ibreid.core.assembly.ModelAssembly;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.config.ConfigValidator;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.data.DataContext;
import io.ibreid.core.data.DataLog;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.run.RunDirectory;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * Wires a training run from its config: the data set named by {@code data.type}, the model from {@code branches}, the
 * objective from {@code losses}, and the {@link Trainer}, which also receives the {@link Validator} another module may
 * bind (reid-eval's {@code ValidationModule} does, for a holdout split).
 *
 * <p>Where Guice helps and where it does not. It wires the parts a config names into the trainer: each part is made
 * once, from the parts it needs, in the order those needs dictate, and a module of another jar can add a part (the
 * validator) without ib-core knowing that jar. It does not build the plug-in registry (plain construction,
 * {@link Plugins#discover}: a map filled from ServiceLoader gains nothing from injection) and it does not check the
 * config: {@link ConfigValidator#validate(RunConfig, Plugins)} runs in this module's constructor, before any injector
 * exists, so a config error reaches the caller as itself rather than inside Guice's wrappers, and before the data set
 * is opened.
 */
public final class TrainingModule extends AbstractModule {
  private final RunConfig config;
  private final Path runDir;
  private final Plugins plugins;
  private final DataLog dataLog;

  /** As {@link #TrainingModule(RunConfig, Path, Plugins)} with the plug-ins ServiceLoader finds. */
  public TrainingModule(RunConfig config, Path runDir) {
    this(config, runDir, Plugins.discover());
  }

  /**
   * Chooses and loads ND4J's native build ({@link NativeRuntime#load()}) on the calling thread, before the training
   * set starts its reader threads, then validates {@code config} against {@code plugins}.
   *
   * @throws io.ibreid.core.ConfigException naming the key at fault
   */
  public TrainingModule(RunConfig config, Path runDir, Plugins plugins) {
    this(config, runDir, plugins, DataLog.NONE);
  }

  /**
   * As {@link #TrainingModule(RunConfig, Path, Plugins)}; the data set reports what it does while it opens (e.g. that
   * it generates the lab, and how far it has come) to {@code dataLog}, before the run directory exists.
   */
  public TrainingModule(RunConfig config, Path runDir, Plugins plugins, DataLog dataLog) {
    NativeRuntime.load();
    ConfigValidator.validate(config, plugins);
    this.config = config;
    this.runDir = runDir;
    this.plugins = plugins;
    this.dataLog = dataLog == null ? DataLog.NONE : dataLog;
  }

  @Override
  protected void configure() {
    bind(RunConfig.class).toInstance(config);
    bind(RunDirectory.class).toInstance(new RunDirectory(runDir));
    bind(Plugins.class).toInstance(plugins);
    OptionalBinder.newOptionalBinder(binder(), Validator.class);
  }

  @Provides
  @Singleton
  TrainingSet trainingSet(RunConfig c, Plugins plugins) {
    DataContext context = new DataContext(Path.of(c.data.root), ImageShape.rgb(c.input.height, c.input.width),
        c.sampler.identities, c.sampler.instances, c.seed, c.data.workers, dataLog);
    return plugins.get(DatasetFactory.KIND, c.data.type).fromConfig(c.data.params, "data.params", context);
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
