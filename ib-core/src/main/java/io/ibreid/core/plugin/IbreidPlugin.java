package io.ibreid.core.plugin;

import java.util.List;

/**
 * The one service ibreid discovers with {@link java.util.ServiceLoader}. A module contributes plug-ins by implementing
 * this interface, returning its factories from {@link #factories()}, and registering the class with
 * {@code @AutoService(IbreidPlugin.class)} (or a line in {@code META-INF/services/io.ibreid.core.plugin.IbreidPlugin}).
 * Code can also hand plug-ins to {@link Plugins#discover(IbreidPlugin...)} without registering them.
 */
public interface IbreidPlugin {
  /**
   * Every factory this plug-in contributes, of any kinds (each factory knows its {@link PluginFactory#kind()}). Names
   * must be unique within a kind across all plug-ins; a clash fails when the registry is built.
   */
  default List<? extends PluginFactory<?>> factories() {
    return List.of();
  }
}
