package io.ibreid.core.bottleneck;

import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.core.plugin.PluginKind;
import java.util.Map;

/**
 * The {@code bottleneck} kind of plug-in ({@code branches.B.bottleneck} in a config): creates a {@link Bottleneck} from
 * its bound parameters. Registered through {@link io.ibreid.core.plugin.IbreidPlugin}.
 */
public interface BottleneckFactory<P> extends PluginFactory<P> {
  PluginKind<BottleneckFactory<?>> KIND = PluginKind.of("bottleneck", "bottlenecks", BottleneckFactory.class);

  Bottleneck create(P params);

  @Override
  default PluginKind<BottleneckFactory<?>> kind() {
    return KIND;
  }

  /** Binds a config's {@code params:} map ({@link #bind}) and creates the bottleneck. */
  default Bottleneck fromConfig(Map<String, Object> params, String keyPath) {
    return create(bind(params, keyPath));
  }
}
