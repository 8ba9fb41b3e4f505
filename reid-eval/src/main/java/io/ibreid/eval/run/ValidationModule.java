package io.ibreid.eval.run;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.train.Validator;
import io.ibreid.data.CrossModalSource;
import io.ibreid.data.DataSources;
import java.nio.file.Path;

/**
 * Binds a {@link HoldoutValidator} for a training run whose data set keeps identities aside
 * ({@code data.params.holdout > 0}); install it next to {@link io.ibreid.core.train.TrainingModule}. Without a
 * holdout it binds nothing and training keeps only its periodic checkpoints.
 */
public final class ValidationModule extends AbstractModule {
  private final RunConfig config;

  public ValidationModule(RunConfig config) {
    this.config = config;
  }

  /** Whether the config asks for a holdout split. */
  public static boolean wanted(RunConfig config) {
    Object h = config.data.params == null ? null : config.data.params.get("holdout");
    return h instanceof Number n && n.intValue() > 0;
  }

  @Override
  protected void configure() {
    if (!wanted(config)) {
      return;
    }
    OptionalBinder.newOptionalBinder(binder(), Validator.class).setBinding().toProvider(() -> {
      CrossModalSource source = DataSources.open(config.data.type, Path.of(config.data.root), config.data.params,
          config.data.workers);
      return new HoldoutValidator(source.holdout(), config.evaluation);
    });
  }
}
