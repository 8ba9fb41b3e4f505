package io.ibreid.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The training bar away from a terminal: each rendering printed as a line of its own (no carriage returns), except
 * one equal to the line before (closing the bar renders the last state again).
 */
final class ProgressLines implements Consumer<String> {
  private final PrintStream out;
  private String last;

  ProgressLines(PrintStream out) {
    this.out = out;
  }

  /**
   * Whether this process's stderr is a terminal: on Linux, whether {@code /proc/self/fd/2} is a terminal device;
   * where that cannot be read, whether the JVM has a console.
   */
  static boolean stderrIsTerminal() {
    try {
      String device = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty") || device.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  @Override
  public synchronized void accept(String line) {
    if (!line.equals(last)) {
      out.println(line);
      last = line;
    }
  }
}
