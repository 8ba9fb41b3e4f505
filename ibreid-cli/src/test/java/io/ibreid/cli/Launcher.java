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
 * never runs Maven): for the integration tests of start-up, native-build choice, hangs, locks and kills.
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

  /** A started child: the process (the JVM: the launcher execs java) and the files its output goes to. */
  record Started(Process process, Path out, Path err) {
    /** Waits up to {@code limitSeconds}, then kills it; returns what it did. */
    Run finish(long limitSeconds, long t0) throws IOException, InterruptedException {
      boolean done = process.waitFor(limitSeconds, TimeUnit.SECONDS);
      if (!done) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Run(done ? process.exitValue() : -1, Files.readString(out), Files.readString(err), seconds, !done);
    }
  }

  private Launcher() {}

  static Run run(Path scratch, Map<String, String> env, long limitSeconds, String... args)
      throws IOException, InterruptedException {
    return runIn(null, scratch, env, limitSeconds, args);
  }

  /** As {@link #run}, in the working directory {@code cwd} (null: this process's). */
  static Run runIn(Path cwd, Path scratch, Map<String, String> env, long limitSeconds, String... args)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    return start(cwd, scratch, env, args).finish(limitSeconds, t0);
  }

  /** Starts {@code bin/ibreid args} without waiting; stdout and stderr go to files in {@code scratch}. */
  static Started start(Path cwd, Path scratch, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(SCRIPT.toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (cwd != null) {
      pb.directory(cwd.toFile());
    }
    pb.environment().put("IBREID_NO_BUILD", "1");
    pb.environment().putAll(env);
    return new Started(pb.start(), out, err);
  }
}
