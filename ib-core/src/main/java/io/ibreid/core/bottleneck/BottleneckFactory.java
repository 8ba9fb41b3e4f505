package io.ibreid.core.bottleneck;

import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.core.plugin.Plugins;
import java.util.Map;

/** Creates a {@link Bottleneck} from its bound parameters; registered through {@link io.ibreid.core.plugin.IbreidPlugin}. */
public interface BottleneckFactory<P> extends PluginFactory<P> {
  Bottleneck create(P params);

  /** Binds an untyped parameter map and creates the bottleneck. */
  default Bottleneck createFromMap(Map<String, Object> params, String keyPath) {
    return create(Plugins.bindParameters(this, params, keyPath));
  }
}
