package io.ibreid.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.ibreid.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads a {@link RunConfig} from YAML, applies {@code key.path=value} overrides, and reports every problem as one
 * line naming the key: unknown keys, wrong types, malformed overrides.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private ConfigLoader() {}

  /** Loads {@code file}, applies overrides in order, binds and validates. */
  public static RunConfig load(Path file, List<String> overrides) {
    JsonNode tree;
    try {
      tree = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (JsonProcessingException e) {
      throw new ConfigException("config file " + file + " is not valid YAML at line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = JsonNodeFactory.instance.objectNode();
    }
    if (!tree.isObject()) {
      throw new ConfigException("config file " + file + " must hold a YAML mapping at the top level");
    }
    return fromTree((ObjectNode) tree, overrides, file.toString());
  }

  /** Parses YAML text (tests, resolved configs). */
  public static RunConfig parse(String yaml, List<String> overrides) {
    try {
      JsonNode tree = YAML.readTree(yaml);
      if (tree == null || !tree.isObject()) {
        tree = JsonNodeFactory.instance.objectNode();
      }
      return fromTree((ObjectNode) tree, overrides, "<text>");
    } catch (JsonProcessingException e) {
      throw new ConfigException("config is not valid YAML: " + e.getOriginalMessage());
    }
  }

  private static RunConfig fromTree(ObjectNode tree, List<String> overrides, String source) {
    for (String o : overrides == null ? List.<String>of() : overrides) {
      applyOverride(tree, o);
    }
    RunConfig config;
    try {
      config = YAML.treeToValue(tree, RunConfig.class);
    } catch (UnrecognizedPropertyException e) {
      TreeSet<String> known = new TreeSet<>();
      if (e.getKnownPropertyIds() != null) {
        e.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      }
      throw new ConfigException("config key [" + path(e) + "] is not known (in " + source + "); known keys here: "
          + known);
    } catch (InvalidFormatException e) {
      throw new ConfigException("config key [" + path(e) + "] has value [" + e.getValue() + "], expected "
          + describe(e.getTargetType()) + " (in " + source + ")");
    } catch (MismatchedInputException e) {
      throw new ConfigException("config key [" + path(e) + "] has the wrong type, expected "
          + describe(e.getTargetType()) + " (in " + source + ")");
    } catch (JsonProcessingException e) {
      throw new ConfigException("config (in " + source + ") cannot be read: " + e.getOriginalMessage());
    }
    ConfigValidator.validate(config);
    return config;
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (java.util.Map.class.isAssignableFrom(type) || type.getName().startsWith("io.ibreid")) {
      return "a mapping";
    }
    return type.getSimpleName();
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getIndex());
      }
    }
    return sb.toString();
  }

  /**
   * Applies {@code a.b.c=value}: the value is read as a YAML scalar or flow collection ({@code 3}, {@code true},
   * {@code [1, 2]}, {@code {dim: 64}}); numeric segments index lists.
   */
  static void applyOverride(ObjectNode root, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("override [" + override + "] must look like key.path=value");
    }
    String key = override.substring(0, eq).trim();
    String raw = override.substring(eq + 1);
    JsonNode value;
    try {
      value = raw.isEmpty() ? JsonNodeFactory.instance.textNode("") : YAML.readTree(raw);
      if (value == null || value.isMissingNode()) {
        value = JsonNodeFactory.instance.nullNode();
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException("override [" + override + "]: value is not valid YAML: " + e.getOriginalMessage());
    }
    String[] parts = key.split("\\.");
    JsonNode node = root;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      boolean last = i == parts.length - 1;
      String prefix = String.join(".", java.util.Arrays.copyOf(parts, i + 1));
      if (node instanceof ObjectNode obj) {
        if (last) {
          obj.set(part, value);
        } else {
          JsonNode child = obj.get(part);
          if (child == null || child.isNull()) {
            child = parts[i + 1].matches("\\d+") ? obj.putArray(part) : obj.putObject(part);
          }
          node = child;
        }
      } else if (node instanceof ArrayNode arr) {
        if (!part.matches("\\d+")) {
          throw new ConfigException("override [" + override + "]: [" + prefix + "] indexes a list, expected a number");
        }
        int idx = Integer.parseInt(part);
        if (idx > arr.size()) {
          throw new ConfigException("override [" + override + "]: list [" + prefix.substring(0,
              Math.max(0, prefix.lastIndexOf('.'))) + "] has " + arr.size() + " entries");
        }
        if (last) {
          if (idx == arr.size()) {
            arr.add(value);
          } else {
            arr.set(idx, value);
          }
        } else {
          if (idx == arr.size()) {
            arr.addObject();
          }
          node = arr.get(idx);
        }
      } else {
        throw new ConfigException("override [" + override + "]: [" + String.join(".", java.util.Arrays.copyOf(parts, i))
            + "] is a value, not a mapping");
      }
    }
  }

  /** The resolved config as YAML (written into run directories). */
  public static String toYaml(RunConfig config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
