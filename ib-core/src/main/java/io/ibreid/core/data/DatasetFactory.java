package io.ibreid.core.data;

import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.core.plugin.PluginKind;
import java.util.Map;

/**
 * The {@code dataset} kind of plug-in ({@code data.type} in a config): opens a training set. Bad input (missing root,
 * unreadable image) fails with an {@link io.ibreid.core.IbreidException} whose one line names the path and what was
 * expected.
 */
public interface DatasetFactory<P> extends PluginFactory<P> {
  PluginKind<DatasetFactory<?>> KIND = PluginKind.of("dataset", "datasets", DatasetFactory.class);

  TrainingSet open(P params, DataContext context);

  @Override
  default PluginKind<DatasetFactory<?>> kind() {
    return KIND;
  }

  /** Binds a config's {@code params:} map ({@link #bind}) and opens the training set. */
  default TrainingSet fromConfig(Map<String, Object> params, String keyPath, DataContext context) {
    return open(bind(params, keyPath), context);
  }
}
