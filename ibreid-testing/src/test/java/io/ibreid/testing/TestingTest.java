package io.ibreid.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.builtin.CorePlugin;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.plugin.IbreidPlugin;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherSessionListener;

/** The session listener is registered and ran before this class; the plug-in checks pass and fail as documented. */
class TestingTest {
  @Test
  void theSessionListenerLoadedNd4jBeforeAnyTest() {
    // nothing in this JVM called NativeRuntime.load() but the listener, which JUnit ran when the session opened
    assertThat(NativeRuntime.loadedFrom()).isNotNull().contains("libjnind4jcpu");
    assertThat(ServiceLoader.load(LauncherSessionListener.class).stream().map(ServiceLoader.Provider::type))
        .contains(NativeTestSession.class);
  }

  /** Not listed in META-INF/services: what a forgotten annotation processor leaves behind. */
  static final class Unregistered implements IbreidPlugin {}

  @Test
  void registeredPluginsPassAndForgottenOnesFailWithTheFix() {
    assertThat(PluginChecks.requireRegistered(CorePlugin.class)).isInstanceOf(CorePlugin.class);
    assertThatThrownBy(() -> PluginChecks.requireRegistered(Unregistered.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(Unregistered.class.getName() + " is not registered for ServiceLoader")
        .hasMessageContaining("<artifactId>auto-service</artifactId>");
    assertThat(PluginChecks.requireDiscovered(LossFactory.KIND, "ce").name()).isEqualTo("ce");
    assertThatThrownBy(() -> PluginChecks.requireDiscovered(LossFactory.KIND, "cosine-agreement"))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("no loss named [cosine-agreement] was discovered; known [ce, triplet]");
  }
}
