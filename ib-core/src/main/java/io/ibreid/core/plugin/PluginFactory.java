package io.ibreid.core.plugin;

import java.util.Map;

/**
 * What every plug-in factory shares: a unique name within its kind (the word a config uses), a one-line description,
 * its kind, and the class its {@code params:} block binds to. The parameters class is a plain Java object with public
 * fields carrying defaults and a public no-argument constructor; a key it does not declare is a configuration error.
 * A kind's factory interface (e.g. {@code LossFactory}) extends this one, answers {@link #kind()} and adds the typed
 * create method; plug-ins implement that interface.
 *
 * @param <P> the parameters type
 */
public interface PluginFactory<P> {
  /** Name used in configs, e.g. {@code small-resnet}; lower case, digits and dashes. */
  String name();

  /** One line for {@code ibreid plugins}. */
  String description();

  /** Class the {@code params:} map is bound to. */
  Class<P> parametersType();

  /** The kind this factory is registered under; answered by the kind's factory interface. */
  PluginKind<?> kind();

  /**
   * Binds a config's {@code params:} map (null: all defaults) to {@link #parametersType()}. An unknown key, a value of
   * the wrong type or a rejected value fails with an {@link io.ibreid.core.ConfigException} naming
   * {@code keyPath.key}, e.g. {@code config key [losses.2.params.temprature] is not a parameter of vsd; known
   * parameters [form, temperature]}.
   */
  default P bind(Map<String, Object> params, String keyPath) {
    return ParameterBinder.bind(this, params, keyPath);
  }
}
