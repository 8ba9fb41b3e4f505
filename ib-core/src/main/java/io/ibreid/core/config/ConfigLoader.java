package io.ibreid.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
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
import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  /** Larger files are not configs (a config is a few kilobytes). */
  static final long MAX_BYTES = 16L << 20;

  private ConfigLoader() {}

  /** Loads {@code file}, applies overrides in order, binds and validates. */
  public static RunConfig load(Path file, List<String> overrides) {
    JsonNode tree;
    try {
      tree = YAML.readTree(text(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (JsonProcessingException e) {
      String line = e.getLocation() == null ? "?" : Integer.toString(e.getLocation().getLineNr());
      String duplicate = duplicateKey(e);
      if (duplicate != null) {
        throw new ConfigException("config file " + file + " has the key [" + duplicate + "] twice (line " + line
            + "); expected each key once");
      }
      throw new ConfigException("config file " + file + " is not valid YAML at line " + line + ": "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " cannot be read: " + AtomicFiles.reason(e));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = JsonNodeFactory.instance.objectNode();
    }
    if (!tree.isObject()) {
      throw new ConfigException("config file " + file + " must hold a YAML mapping at the top level");
    }
    return fromTree((ObjectNode) tree, overrides, file.toString());
  }

  /**
   * The text of a config file: at most {@link #MAX_BYTES}, UTF-8 (a byte that is not names its offset and line).
   */
  static String text(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new ConfigException("config file " + file + " is a folder; expected a YAML file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      throw new ConfigException("config file " + file + " is larger than " + (MAX_BYTES >> 20) + " MB; expected a "
          + "YAML config");
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new ConfigException(String.format(Locale.ROOT, "config file %s is not UTF-8 text: byte 0x%02X at offset "
          + "%d (line %d) is not valid UTF-8; save the file as UTF-8", file, bytes[at] & 0xff, at, line));
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** The dotted path of the key a duplicate-key parse error names, or null for another error. */
  private static String duplicateKey(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null || !message.startsWith("Duplicate field '")) {
      return null;
    }
    String name = message.substring("Duplicate field '".length(), message.lastIndexOf('\''));
    java.util.Deque<String> parts = new java.util.ArrayDeque<>();
    parts.push(name);
    if (e.getProcessor() instanceof JsonParser p) {
      JsonStreamContext ctx = p.getParsingContext();
      for (ctx = ctx == null ? null : ctx.getParent(); ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
        if (ctx.inArray()) {
          parts.push(Integer.toString(Math.max(0, ctx.getCurrentIndex())));
        } else if (ctx.getCurrentName() != null) {
          parts.push(ctx.getCurrentName());
        }
      }
    }
    return String.join(".", parts);
  }

  /** Parses YAML text (tests, resolved configs). */
  public static RunConfig parse(String yaml, List<String> overrides) {
    return parse(yaml, overrides, "<text>");
  }

  /**
   * Parses YAML text, applies overrides and validates; {@code source} names the text in messages (e.g.
   * {@code shipped config demo}).
   */
  public static RunConfig parse(String yaml, List<String> overrides, String source) {
    try {
      JsonNode tree = YAML.readTree(yaml);
      if (tree == null || !tree.isObject()) {
        tree = JsonNodeFactory.instance.objectNode();
      }
      return fromTree((ObjectNode) tree, overrides, source);
    } catch (JsonProcessingException e) {
      String duplicate = duplicateKey(e);
      throw new ConfigException(duplicate != null ? "config (" + source + ") has the key [" + duplicate + "] twice; "
          + "expected each key once" : "config (" + source + ") is not valid YAML: " + e.getOriginalMessage());
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
      String duplicate = duplicateKey(e);
      throw new ConfigException("override [" + override + "]: " + (duplicate != null ? "the value has the key ["
          + duplicate + "] twice" : "value is not valid YAML: " + e.getOriginalMessage()));
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

  /** The resolved config as a tree of keys and values, as {@link #toYaml} writes it. */
  public static JsonNode tree(RunConfig config) {
    return YAML.valueToTree(config);
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
