package io.ibreid.cli;

import io.ibreid.core.train.IterationRecord;
import io.ibreid.core.train.TrainerListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Console progress for training: a bar with ETA, img/s and the per-term losses of the latest step, on stderr. On a
 * terminal the bar is redrawn in place; otherwise (stderr redirected to a file or a pipe) every update is a line of
 * its own, so that a log reads line by line instead of holding one line of carriage returns.
 */
final class ProgressListener implements TrainerListener, AutoCloseable {
  /** Widest bar, with its message. */
  static final int MAX_RENDERED_LENGTH = 160;

  private final boolean quiet;
  /** Where each update goes as one line when stderr is not a terminal; null: the library's in-place console bar. */
  private final PrintStream lines;
  private ProgressBar bar;

  ProgressListener(boolean quiet) {
    this(quiet, stderrIsTerminal() ? null : System.err);
  }

  /**
   * @param lines null: draw the bar in place on stderr (a terminal); otherwise print each update to it as a line
   */
  ProgressListener(boolean quiet, PrintStream lines) {
    this.quiet = quiet;
    this.lines = lines;
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
  public void onStart(long startIteration, long totalIterations, String description) {
    if (quiet) {
      return;
    }
    ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalIterations)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
        .startsFrom(startIteration, java.time.Duration.ZERO).setMaxRenderedLength(MAX_RENDERED_LENGTH);
    if (lines != null) {
      builder.setConsumer(new DelegatingProgressBarConsumer(new Lines(lines), MAX_RENDERED_LENGTH));
    }
    bar = builder.build();
  }

  /** Prints each rendering as a line, except one equal to the line before (closing the bar renders it again). */
  private static final class Lines implements Consumer<String> {
    private final PrintStream out;
    private String last;

    Lines(PrintStream out) {
      this.out = out;
    }

    @Override
    public synchronized void accept(String line) {
      if (!line.equals(last)) {
        out.println(line);
        last = line;
      }
    }
  }

  @Override
  public void onIteration(IterationRecord r) {
    if (bar == null) {
      return;
    }
    bar.stepTo(r.iteration() + 1);
    bar.setExtraMessage(String.format(" %.0f img/s loss %.3f %s", r.imagesPerSecond(), r.loss(), terms(r.terms())));
  }

  static String terms(Map<String, Double> terms) {
    StringBuilder sb = new StringBuilder();
    terms.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=')
        .append(String.format("%.3f", v)));
    return sb.toString();
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
