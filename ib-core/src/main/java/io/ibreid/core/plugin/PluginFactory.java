package io.ibreid.core.plugin;

/**
 * What every plug-in factory shares: a unique name within its kind (the word a config uses), a one-line
 * description, and the class its {@code params:} block binds to. The parameters class is a plain Java object with
 * public fields carrying defaults; a key it does not declare is a configuration error.
 *
 * @param <P> the parameters type
 */
public interface PluginFactory<P> {
  /** Name used in configs, e.g. {@code small-resnet}; lower case, digits and dashes. */
  String name();

  /** One line for {@code ibreid plugins}. */
  String description();

  /** Class the {@code params:} map is bound to; must have a public no-argument constructor. */
  Class<P> parametersType();
}
