package io.ibreid.core.natives;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.IbreidException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A program with ibreid but no ND4J backend on its class path (a user who forgot ibreid-backend-cpu) gets one line
 * naming the missing dependency from {@link NativeRuntime#load()}, not ND4J's ExceptionInInitializerError.
 */
class NoBackendTest {
  /** Runs in the child JVM: loads, prints the message of the failure, exits 3 (0 if ND4J loaded after all). */
  public static final class LoadMain {
    public static void main(String[] args) {
      try {
        NativeRuntime.load();
      } catch (IbreidException e) {
        System.out.println(e.getMessage());
        System.exit(3);
      }
    }
  }

  @Test
  void withoutABackendLoadFailsWithTheDependencyToAdd() throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> !Path.of(p).getFileName().toString().startsWith("nd4j-native-1."))
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(classPath).contains("nd4j-api").doesNotContain("nd4j-native-1.");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", classPath, LoadMain.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out;
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as(out).isEqualTo(3);
    // the last line: logging (logback's default console output in tests) may come before it
    assertThat(out.strip().lines().reduce((a, b) -> b).orElse("")).isEqualTo("no ND4J backend on the class path: add io.ibreid:ibreid-backend-cpu (type pom) "
        + "or ibreid-backend-cuda to your dependencies (README, \"Use ibreid as a library\")");
  }
}
