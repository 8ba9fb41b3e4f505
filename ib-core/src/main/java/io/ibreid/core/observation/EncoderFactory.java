package io.ibreid.core.observation;

import io.ibreid.core.plugin.PluginFactory;

/** Creates an {@link Encoder} from its bound parameters; registered through {@link io.ibreid.core.plugin.IbreidPlugin}. */
public interface EncoderFactory<P> extends PluginFactory<P> {
  Encoder create(P params);

  /** Binds an untyped parameter map and creates the encoder. */
  default Encoder createFromMap(java.util.Map<String, Object> params, String keyPath) {
    return create(io.ibreid.core.plugin.Plugins.bindParameters(this, params, keyPath));
  }
}
