package io.ibreid.core.testing;

import io.ibreid.core.natives.NativeRuntime;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes every test JVM choose and load ND4J's native build the way {@code bin/ibreid} does, before the first test
 * class is loaded: JUnit's launcher calls this on the JVM's main thread when its session opens. Registered through
 * {@code META-INF/services} in ib-core's test-jar, which every module's tests depend on, so the surefire and
 * failsafe JVMs of every module go through {@link NativeRuntime} (without it, the examples module's class path holds
 * the oneDNN AVX-512 jar and JavaCPP would load it even on an AVX2-only CPU).
 */
public final class NativeTestSession implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    NativeRuntime.load();
  }
}
