package io.ibreid.testing;

import io.ibreid.core.natives.NativeRuntime;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes a test JVM choose and load ND4J's native build through {@link NativeRuntime#load()} before the first test
 * class is loaded: the JUnit Platform calls it on the JVM's main thread when its launcher session opens. It is
 * registered in this jar's {@code META-INF/services}, so a project only needs {@code ibreid-testing} on its test
 * class path. Without it, JavaCPP would load whichever oneDNN build it finds first (a SIGILL on a CPU without
 * AVX-512), and a test that starts threads before ND4J's first use can deadlock the JDK (see {@link NativeRuntime}).
 * ({@code ib-core}'s own tests use a copy in its test-jar: ib-core cannot depend on this module.)
 */
public final class NativeTestSession implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    NativeRuntime.load();
  }
}
