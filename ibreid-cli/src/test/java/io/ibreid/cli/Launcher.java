package io.ibreid.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code bin/ibreid} itself as a child process, as a user does (with {@code IBREID_NO_BUILD}, so that a test
 * never runs Maven): for the integration tests of start-up, native-build choice and hangs.
 */
final class Launcher {
  static final Path SCRIPT = Path.of("..", "bin", "ibreid").toAbsolutePath().normalize();

  /** One finished (or killed) run: exit status (-1 when killed), stdout, stderr, wall seconds. */
  record Run(int status, String out, String err, double seconds, boolean timedOut) {
    String describe() {
      return "exit " + status + (timedOut ? " (killed: time limit)" : "") + ", " + String.format("%.1f s", seconds)
          + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  private Launcher() {}

  static Run run(Path scratch, Map<String, String> env, long limitSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(SCRIPT.toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("IBREID_NO_BUILD", "1");
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    boolean done = p.waitFor(limitSeconds, TimeUnit.SECONDS);
    if (!done) {
      // the launcher execs java, so this is the JVM itself
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Run(done ? p.exitValue() : -1, Files.readString(out), Files.readString(err), seconds, !done);
  }
}
