package io.ibreid.core.plugin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.ibreid.core.ConfigException;
import java.util.Map;
import java.util.TreeSet;

/** Binds a {@code params:} map to a factory's parameters class; every failure names the config key. */
final class ParameterBinder {
  private static final ObjectMapper PARAMS = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ParameterBinder() {}

  static <P> P bind(PluginFactory<P> factory, Map<String, Object> params, String keyPath) {
    Map<String, Object> source = params == null ? Map.of() : params;
    try {
      return PARAMS.convertValue(source, factory.parametersType());
    } catch (IllegalArgumentException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UnrecognizedPropertyException u) {
        throw new ConfigException("config key [" + keyPath + "." + u.getPropertyName() + "] is not a parameter of "
            + factory.name() + "; known parameters " + known(u));
      }
      if (cause instanceof JsonMappingException m) {
        throw new ConfigException("config key [" + keyPath + pathOf(m) + "] has a wrong value for "
            + factory.name() + ": " + m.getOriginalMessage().split("\n")[0]);
      }
      throw new ConfigException("config key [" + keyPath + "] cannot be read: " + e.getMessage().split("\n")[0]);
    }
  }

  private static TreeSet<String> known(UnrecognizedPropertyException u) {
    TreeSet<String> known = new TreeSet<>();
    if (u.getKnownPropertyIds() != null) {
      u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
    }
    return known;
  }

  private static String pathOf(JsonMappingException m) {
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
