package io.ibreid.core.plugin;

import io.ibreid.core.IbreidException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The registry of plug-in factories, by kind and name. There is one way to build it, {@link #discover}: the plug-ins
 * {@link ServiceLoader} finds, then those registered in code. Two factories of one kind with one name fail to build it
 * (unless they are of the same class: a plug-in registered both ways is harmless); looking up a name nobody provides
 * fails with {@code Unknown loss [x], known options [a, b, c]}.
 */
public final class Plugins {
  private final Map<PluginKind<?>, SortedMap<String, PluginFactory<?>>> byKind = new LinkedHashMap<>();

  private Plugins(List<IbreidPlugin> plugins) {
    for (IbreidPlugin plugin : plugins) {
      for (PluginFactory<?> factory : plugin.factories()) {
        add(plugin, factory);
      }
    }
  }

  /**
   * The plug-ins ServiceLoader finds ({@code META-INF/services/io.ibreid.core.plugin.IbreidPlugin} on the class path),
   * followed by {@code extra} ones registered in code; an extra plug-in of a class ServiceLoader already found is
   * dropped.
   *
   * @throws IbreidException when two factories of one kind share a name
   */
  public static Plugins discover(IbreidPlugin... extra) {
    return discover(Arrays.asList(extra));
  }

  /** As {@link #discover(IbreidPlugin...)}. */
  public static Plugins discover(List<? extends IbreidPlugin> extra) {
    List<IbreidPlugin> all = new ArrayList<>();
    Set<Class<?>> seen = new HashSet<>();
    for (IbreidPlugin plugin : ServiceLoader.load(IbreidPlugin.class)) {
      if (seen.add(plugin.getClass())) {
        all.add(plugin);
      }
    }
    for (IbreidPlugin plugin : extra) {
      if (seen.add(plugin.getClass())) {
        all.add(plugin);
      }
    }
    return new Plugins(all);
  }

  private void add(IbreidPlugin plugin, PluginFactory<?> factory) {
    PluginKind<?> kind = factory.kind();
    if (kind == null || !kind.factoryType().isInstance(factory)) {
      throw new IbreidException("plug-in " + plugin.getClass().getName() + " contributes " + factory.getClass().getName()
          + ", whose kind " + kind + " it does not implement");
    }
    PluginFactory<?> previous = byKind.computeIfAbsent(kind, k -> new TreeMap<>())
        .putIfAbsent(factory.name(), factory);
    if (previous != null && previous.getClass() != factory.getClass()) {
      throw new IbreidException("Two " + kind.label() + " plug-ins are named [" + factory.name() + "]: "
          + previous.getClass().getName() + " and " + factory.getClass().getName());
    }
  }

  /**
   * The factory of {@code kind} named {@code name}.
   *
   * @throws UnknownPluginException naming the kind, the name and the known options
   */
  public <F extends PluginFactory<?>> F get(PluginKind<F> kind, String name) {
    PluginFactory<?> factory = name == null ? null : byKind.getOrDefault(kind, Collections.emptySortedMap()).get(name);
    if (factory == null) {
      throw new UnknownPluginException(kind, name, all(kind).keySet());
    }
    return kind.cast(factory);
  }

  /**
   * One line naming every plug-in by kind, e.g.
   * {@code Plugins[encoders: fast-resnet, small-resnet; bottlenecks: mlp; losses: ce, triplet, vsd; datasets: sysu]}.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Plugins[");
    byKind.forEach((kind, factories) -> sb.append(sb.length() > 8 ? "; " : "").append(kind.plural()).append(": ")
        .append(String.join(", ", factories.keySet())));
    return sb.append(']').toString();
  }

  /** Every factory of {@code kind}, sorted by name (empty when none was found). */
  @SuppressWarnings("unchecked")
  public <F extends PluginFactory<?>> SortedMap<String, F> all(PluginKind<F> kind) {
    SortedMap<String, ?> map = byKind.getOrDefault(kind, Collections.emptySortedMap());
    return Collections.unmodifiableSortedMap((SortedMap<String, F>) map); // add() checked every value's type
  }
}
