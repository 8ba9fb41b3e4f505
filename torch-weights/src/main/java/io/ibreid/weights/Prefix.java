package io.ibreid.weights;

import java.util.Objects;

/**
 * How a file's keys map to a model's: a file key is {@code prefix + modelKey}. PyTorch Re-ID code saves
 * torchvision's ResNet under a prefix such as {@code module.} (DataParallel), {@code base.} or
 * {@code RGB_backbone.base.}; a training checkpoint's state dict adds its dictionary key ({@code net.}).
 *
 * <p>Written in a config or on a command line as {@code auto} (the default: the prefix under which most of the
 * model's keys exist, {@link KeyMapping}), {@code none} (the keys as they are), or the prefix itself, its trailing
 * dot optional ({@code module.base} and {@code module.base.} are the same).
 */
public final class Prefix {
  private static final Prefix AUTO = new Prefix(null);
  private static final Prefix NONE = new Prefix("");

  private final String prefix;

  private Prefix(String prefix) {
    this.prefix = prefix;
  }

  /** Finds the prefix from the file's and the model's keys. */
  public static Prefix auto() {
    return AUTO;
  }

  /** No prefix: file keys are the model's keys. */
  public static Prefix none() {
    return NONE;
  }

  /** File keys are {@code prefix + modelKey}; a missing trailing dot is added. */
  public static Prefix strip(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.isEmpty()) {
      return NONE;
    }
    return new Prefix(prefix.endsWith(".") ? prefix : prefix + ".");
  }

  /** {@code auto} (or null), {@code none} (or empty), or a prefix. */
  public static Prefix parse(String text) {
    if (text == null || text.trim().equals("auto")) {
      return AUTO;
    }
    String t = text.trim();
    return t.isEmpty() || t.equals("none") ? NONE : strip(t);
  }

  public boolean isAuto() {
    return prefix == null;
  }

  /** The prefix ({@code ""} for none); null when automatic. */
  public String value() {
    return prefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Prefix p && Objects.equals(p.prefix, prefix);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(prefix);
  }

  /** {@code auto}, {@code none}, or the prefix in quotes. */
  @Override
  public String toString() {
    return prefix == null ? "auto" : prefix.isEmpty() ? "none" : "'" + prefix + "'";
  }
}
