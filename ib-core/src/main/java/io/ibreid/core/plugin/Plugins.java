package io.ibreid.core.plugin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.ibreid.core.bottleneck.BottleneckFactory;
import io.ibreid.core.config.ConfigException;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.observation.EncoderFactory;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of discovered plug-ins, by kind and name. Looking up an unknown name fails with
 * {@code Unknown loss [x], known options [a, b, c]}.
 */
@Singleton
public final class Plugins {
  private static final ObjectMapper PARAMS = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private final Map<String, EncoderFactory<?>> encoders;
  private final Map<String, BottleneckFactory<?>> bottlenecks;
  private final Map<String, LossFactory<?>> losses;
  private final Map<String, DatasetFactory<?>> datasets;

  @Inject
  public Plugins(Map<String, EncoderFactory<?>> encoders, Map<String, BottleneckFactory<?>> bottlenecks,
      Map<String, LossFactory<?>> losses, Map<String, DatasetFactory<?>> datasets) {
    this.encoders = Collections.unmodifiableMap(new TreeMap<>(encoders));
    this.bottlenecks = Collections.unmodifiableMap(new TreeMap<>(bottlenecks));
    this.losses = Collections.unmodifiableMap(new TreeMap<>(losses));
    this.datasets = Collections.unmodifiableMap(new TreeMap<>(datasets));
  }

  /** Discovers plug-ins with ServiceLoader without Guice (tools and tests). */
  public static Plugins discover() {
    return of(discoverPlugins(List.of()));
  }

  /**
   * The plug-ins ServiceLoader finds ({@code META-INF/services/io.ibreid.core.plugin.IbreidPlugin} on the class path),
   * followed by {@code extra} ones registered in code; an extra plug-in of a class ServiceLoader already found is
   * dropped, so registering a plug-in both ways is harmless.
   */
  public static List<IbreidPlugin> discoverPlugins(List<IbreidPlugin> extra) {
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
    return all;
  }

  /** The registry of exactly these plug-ins; two factories of one kind with one name (of different classes) fail. */
  public static Plugins of(List<IbreidPlugin> plugins) {
    Map<String, EncoderFactory<?>> e = new TreeMap<>();
    Map<String, BottleneckFactory<?>> b = new TreeMap<>();
    Map<String, LossFactory<?>> l = new TreeMap<>();
    Map<String, DatasetFactory<?>> d = new TreeMap<>();
    for (IbreidPlugin plugin : plugins) {
      plugin.encoders().forEach(f -> put(PluginKind.ENCODER, e, f));
      plugin.bottlenecks().forEach(f -> put(PluginKind.BOTTLENECK, b, f));
      plugin.losses().forEach(f -> put(PluginKind.LOSS, l, f));
      plugin.datasets().forEach(f -> put(PluginKind.DATASET, d, f));
    }
    return new Plugins(e, b, l, d);
  }

  private static <F extends PluginFactory<?>> void put(PluginKind kind, Map<String, F> map, F factory) {
    F previous = map.put(factory.name(), factory);
    if (previous != null && previous.getClass() != factory.getClass()) {
      throw new IllegalStateException("Two " + kind.label() + " plug-ins are named [" + factory.name() + "]: "
          + previous.getClass().getName() + " and " + factory.getClass().getName());
    }
  }

  public EncoderFactory<?> encoder(String name) {
    return lookup(PluginKind.ENCODER, encoders, name);
  }

  public BottleneckFactory<?> bottleneck(String name) {
    return lookup(PluginKind.BOTTLENECK, bottlenecks, name);
  }

  public LossFactory<?> loss(String name) {
    return lookup(PluginKind.LOSS, losses, name);
  }

  public DatasetFactory<?> dataset(String name) {
    return lookup(PluginKind.DATASET, datasets, name);
  }

  /** Every discovered factory of a kind, sorted by name. */
  public Map<String, ? extends PluginFactory<?>> all(PluginKind kind) {
    return switch (kind) {
      case ENCODER -> encoders;
      case BOTTLENECK -> bottlenecks;
      case LOSS -> losses;
      case DATASET -> datasets;
    };
  }

  private static <F> F lookup(PluginKind kind, Map<String, F> map, String name) {
    F factory = name == null ? null : map.get(name);
    if (factory == null) {
      throw new UnknownPluginException(kind, name, map.keySet());
    }
    return factory;
  }

  /**
   * Binds a {@code params:} map to a factory's parameters class. An unknown key or a value of the wrong type fails
   * with a message naming {@code keyPath.key}.
   */
  public static <P> P bindParameters(PluginFactory<P> factory, Map<String, Object> params, String keyPath) {
    Map<String, Object> source = params == null ? Map.of() : params;
    try {
      return PARAMS.convertValue(source, factory.parametersType());
    } catch (IllegalArgumentException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UnrecognizedPropertyException u) {
        throw new ConfigException("config key [" + keyPath + "." + u.getPropertyName() + "] is not a parameter of "
            + factory.name() + "; known parameters " + new TreeMap<>(fields(u)).keySet());
      }
      if (cause instanceof JsonMappingException m) {
        throw new ConfigException("config key [" + keyPath + pathOf(m) + "] has a wrong value for "
            + factory.name() + ": " + m.getOriginalMessage().split("\n")[0]);
      }
      throw new ConfigException("config key [" + keyPath + "] cannot be read: " + e.getMessage().split("\n")[0]);
    }
  }

  private static Map<String, Object> fields(UnrecognizedPropertyException u) {
    Map<String, Object> known = new TreeMap<>();
    if (u.getKnownPropertyIds() != null) {
      u.getKnownPropertyIds().forEach(k -> known.put(String.valueOf(k), k));
    }
    return known;
  }

  static String pathOf(JsonMappingException m) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() != null) {
        sb.append('.').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('.').append(r.getIndex());
      }
    }
    return sb.toString();
  }
}
