package io.ibreid.core.observation;

import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.core.plugin.PluginKind;
import java.util.Map;

/**
 * The {@code encoder} kind of plug-in ({@code branches.B.encoder} in a config): creates an {@link Encoder} from its
 * bound parameters. Registered through {@link io.ibreid.core.plugin.IbreidPlugin}.
 */
public interface EncoderFactory<P> extends PluginFactory<P> {
  PluginKind<EncoderFactory<?>> KIND = PluginKind.of("encoder", "encoders", EncoderFactory.class);

  Encoder create(P params);

  @Override
  default PluginKind<EncoderFactory<?>> kind() {
    return KIND;
  }

  /** Binds a config's {@code params:} map ({@link #bind}) and creates the encoder. */
  default Encoder fromConfig(Map<String, Object> params, String keyPath) {
    return create(bind(params, keyPath));
  }
}
