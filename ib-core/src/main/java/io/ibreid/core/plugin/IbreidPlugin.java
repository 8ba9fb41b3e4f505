package io.ibreid.core.plugin;

import io.ibreid.core.bottleneck.BottleneckFactory;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.observation.EncoderFactory;
import java.util.List;

/**
 * The one service ibreid discovers with {@link java.util.ServiceLoader}. A module contributes plug-ins by
 * implementing this interface, overriding the getters for the kinds it provides, and registering the class with
 * {@code @AutoService(IbreidPlugin.class)}. Every getter defaults to an empty list. Names must be unique within a
 * kind across all discovered plug-ins; a clash fails when the registry is built.
 */
public interface IbreidPlugin {
  default List<EncoderFactory<?>> encoders() {
    return List.of();
  }

  default List<BottleneckFactory<?>> bottlenecks() {
    return List.of();
  }

  default List<LossFactory<?>> losses() {
    return List.of();
  }

  default List<DatasetFactory<?>> datasets() {
    return List.of();
  }
}
