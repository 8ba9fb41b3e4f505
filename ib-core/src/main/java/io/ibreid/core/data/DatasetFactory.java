package io.ibreid.core.data;

import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.core.plugin.Plugins;
import java.util.Map;

/**
 * Opens a training set by name ({@code data.type} in a config). Bad input (missing root, unreadable image) fails
 * with an {@link io.ibreid.core.IbreidException} whose one line names the path and what was expected.
 */
public interface DatasetFactory<P> extends PluginFactory<P> {
  TrainingSet open(P params, DataContext context);

  default TrainingSet openFromMap(Map<String, Object> params, String keyPath, DataContext context) {
    return open(Plugins.bindParameters(this, params, keyPath), context);
  }
}
