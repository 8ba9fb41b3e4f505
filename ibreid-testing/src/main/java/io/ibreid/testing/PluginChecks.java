package io.ibreid.testing;

import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.core.plugin.PluginKind;
import io.ibreid.core.plugin.Plugins;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Checks that a plug-in is found the way ibreid finds plug-ins ({@link ServiceLoader} over
 * {@code META-INF/services/io.ibreid.core.plugin.IbreidPlugin}). A plug-in annotated {@code @AutoService} compiles
 * without auto-service's annotation processor but is then not registered, and a config naming it fails with
 * {@code Unknown loss [...]}; these checks fail with the fix instead. Test-framework neutral: failures are
 * {@link AssertionError}s.
 */
public final class PluginChecks {
  /** The compiler-plugin lines a build needs for {@code @AutoService} to write the registration. */
  public static final String PROCESSOR_HINT = "add auto-service's annotation processor to the compiler: in "
      + "maven-compiler-plugin's <configuration>, <annotationProcessorPaths><path><groupId>com.google.auto.service"
      + "</groupId><artifactId>auto-service</artifactId><version>1.1.1</version></path></annotationProcessorPaths>; "
      + "or list the class in src/main/resources/META-INF/services/io.ibreid.core.plugin.IbreidPlugin";

  private PluginChecks() {}

  /** Returns the instance ServiceLoader creates of {@code type}; fails when ServiceLoader does not find it. */
  public static <T extends IbreidPlugin> T requireRegistered(Class<T> type) {
    List<IbreidPlugin> found = ServiceLoader.load(IbreidPlugin.class).stream().map(ServiceLoader.Provider::get)
        .toList();
    for (IbreidPlugin p : found) {
      if (p.getClass() == type) {
        return type.cast(p);
      }
    }
    throw new AssertionError("plug-in " + type.getName() + " is not registered for ServiceLoader (found "
        + found.stream().map(p -> p.getClass().getSimpleName()).toList() + "): " + PROCESSOR_HINT);
  }

  /**
   * Returns the factory of {@code kind} (e.g. {@code LossFactory.KIND}) named {@code name} from the discovered
   * registry ({@link Plugins#discover}); fails with the known names and the registration hint when there is none.
   */
  public static <F extends PluginFactory<?>> F requireDiscovered(PluginKind<F> kind, String name) {
    Plugins plugins = Plugins.discover();
    F f = plugins.all(kind).get(name);
    if (f == null) {
      throw new AssertionError("no " + kind.label() + " named [" + name + "] was discovered; known "
          + plugins.all(kind).keySet() + ". If it is yours: " + PROCESSOR_HINT);
    }
    return f;
  }
}
