package io.ibreid.core.plugin;

import io.ibreid.core.ConfigException;
import java.util.Collection;
import java.util.TreeSet;

/** A config names a plug-in nobody provides: {@code Unknown loss [x], known options [a, b, c]}. */
public final class UnknownPluginException extends ConfigException {
  private final PluginKind<?> kind;
  private final String name;

  public UnknownPluginException(PluginKind<?> kind, String name, Collection<String> known) {
    super("Unknown " + kind.label() + " [" + name + "], known options " + new TreeSet<>(known));
    this.kind = kind;
    this.name = name;
  }

  public PluginKind<?> kind() {
    return kind;
  }

  public String name() {
    return name;
  }
}
