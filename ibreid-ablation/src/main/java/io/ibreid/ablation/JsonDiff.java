package io.ibreid.ablation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The first difference between two JSON trees, as one line {@code key.path: A <was>, B <now>} (e.g.
 * {@code seeds: 5 in plan.json, 3 now}), or null when they are equal. Object keys are visited in the newer tree's
 * order, then the older one's; array elements by position, named by their {@code id} field when the newer array's
 * first element has one (arrays of different lengths: the counts, after the common elements). Numbers compare by
 * value (a long written and read back is an int node); values are shortened to 80 characters.
 */
final class JsonDiff {
  private final String rootName;
  private final String wasWhere;
  private final String nowWhere;

  /**
   * @param rootName what a difference at the root is called (e.g. {@code plan})
   * @param wasWhere the text after the older value (e.g. {@code in plan.json})
   * @param nowWhere the text after the newer value (e.g. {@code now})
   */
  JsonDiff(String rootName, String wasWhere, String nowWhere) {
    this.rootName = rootName;
    this.wasWhere = wasWhere;
    this.nowWhere = nowWhere;
  }

  /** The first difference, or null when {@code was} and {@code now} are equal. */
  String first(JsonNode was, JsonNode now) {
    return diff(was, now, "");
  }

  private String diff(JsonNode was, JsonNode now, String path) {
    if (was == null || now == null || was.getNodeType() != now.getNodeType()) {
      return line(path.isEmpty() ? rootName : path, shortText(was), shortText(now));
    }
    if (now.isObject()) {
      Set<String> keys = new LinkedHashSet<>();
      now.fieldNames().forEachRemaining(keys::add);
      was.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        String d = diff(was.get(k), now.get(k), path.isEmpty() ? k : path + "." + k);
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (now.isArray()) {
      boolean ids = now.size() > 0 && now.get(0).has("id");
      if (ids || was.size() == now.size()) {
        for (int i = 0; i < Math.min(was.size(), now.size()); i++) {
          String label = ids ? now.get(i).path("id").asText() : String.valueOf(i);
          String d = diff(was.get(i), now.get(i), path + "[" + label + "]");
          if (d != null) {
            return d;
          }
        }
      }
      if (was.size() != now.size()) {
        return line(path, ids ? was.size() + " entries" : shortText(was),
            ids ? now.size() + " entries" : shortText(now));
      }
      return null;
    }
    boolean same = now.isNumber() ? was.decimalValue().compareTo(now.decimalValue()) == 0 : was.equals(now);
    return same ? null : line(path, shortText(was), shortText(now));
  }

  private String line(String path, String was, String now) {
    return path + ": " + was + " " + wasWhere + ", " + now + " " + nowWhere;
  }

  private static String shortText(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "absent";
    }
    String s = n.isTextual() ? n.asText() : n.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
