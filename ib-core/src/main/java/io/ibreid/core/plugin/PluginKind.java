package io.ibreid.core.plugin;

/**
 * A kind of plug-in: the word configs and messages use ({@code loss}, {@code losses}) and the factory interface its
 * plug-ins implement. Each kind is one constant, declared by that interface (e.g. {@code LossFactory.KIND}); kinds are
 * compared by identity. {@link Plugins#get(PluginKind, String)} returns a factory already typed by its kind.
 *
 * @param <F> the kind's factory interface
 */
public final class PluginKind<F extends PluginFactory<?>> {
  private final String label;
  private final String plural;
  private final Class<? super F> factoryType;

  private PluginKind(String label, String plural, Class<? super F> factoryType) {
    this.label = label;
    this.plural = plural;
    this.factoryType = factoryType;
  }

  /** The kind whose factories implement {@code factoryType}; declare it once, as a constant of that interface. */
  public static <F extends PluginFactory<?>> PluginKind<F> of(String label, String plural,
      Class<? super F> factoryType) {
    if (!factoryType.isInterface() || !PluginFactory.class.isAssignableFrom(factoryType)) {
      throw new IllegalArgumentException(factoryType.getName() + " is not an interface extending PluginFactory");
    }
    return new PluginKind<>(label, plural, factoryType);
  }

  /** The word for one, used in messages: {@code Unknown loss [x], ...}. */
  public String label() {
    return label;
  }

  /** The word for several, used in listings. */
  public String plural() {
    return plural;
  }

  /** The interface every factory of this kind implements. */
  public Class<? super F> factoryType() {
    return factoryType;
  }

  /** {@code factory} as this kind's factory type; it must implement {@link #factoryType()}. */
  @SuppressWarnings("unchecked")
  F cast(PluginFactory<?> factory) {
    return (F) factoryType.cast(factory);
  }

  @Override
  public String toString() {
    return label;
  }
}
