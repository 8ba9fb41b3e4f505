package io.ibreid.core.testing;

import io.ibreid.core.natives.NativeBuild;
import io.ibreid.core.natives.NativeRuntime;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes every test JVM choose and load ND4J's native build the way {@code bin/ibreid} does, before the first test
 * class is loaded: JUnit's launcher calls this on the JVM's main thread when its session opens. Registered through
 * {@code META-INF/services} in ib-core's test-jar, which every module's tests depend on, so the surefire and
 * failsafe JVMs of every module go through {@link NativeRuntime} (without it, the examples module's class path holds
 * the oneDNN AVX-512 jar and JavaCPP would load it even on an AVX2-only CPU).
 *
 * <p>{@code IBREID_NATIVE=onednn-avx2 mvn verify} runs the tests of the modules that have that build on their class
 * path (ibreid-cli, examples, benchmarks) with it; the other modules' class paths hold only the plain build, which
 * their JVMs then use (said on stderr) instead of refusing the choice as the command line does.
 */
public final class NativeTestSession implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (System.getProperty(NativeRuntime.PROPERTY) == null) {
      String request = System.getenv(NativeRuntime.ENVIRONMENT);
      NativeBuild wanted = request == null || request.isBlank() ? null : NativeBuild.parse(request);
      if (wanted != null
          && NativeTestSession.class.getClassLoader().getResource(wanted.jniResource()) == null) {
        System.err.println("NativeTestSession: " + NativeRuntime.ENVIRONMENT + "=" + request + " is not on this "
            + "module's test class path; its tests use the plain build");
        System.setProperty(NativeRuntime.PROPERTY, NativeBuild.PLAIN.id());
      }
    }
    NativeRuntime.load();
  }
}
