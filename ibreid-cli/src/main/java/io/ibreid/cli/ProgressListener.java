package io.ibreid.cli;

import io.ibreid.core.train.IterationRecord;
import io.ibreid.core.train.TrainerListener;
import java.io.PrintStream;
import java.util.Map;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Console progress for training: a bar with ETA, img/s and the per-term losses of the latest step, on stderr; redrawn
 * in place on a terminal, one line per update otherwise ({@link ProgressLines}), so that a log reads line by line.
 */
final class ProgressListener implements TrainerListener, AutoCloseable {
  private final boolean quiet;
  /** Where each update goes as a line when stderr is not a terminal; null: the bar is redrawn in place. */
  private final PrintStream lines;
  private ProgressBar bar;

  ProgressListener(boolean quiet) {
    this(quiet, ProgressLines.stderrIsTerminal() ? null : System.err);
  }

  ProgressListener(boolean quiet, PrintStream lines) {
    this.quiet = quiet;
    this.lines = lines;
  }

  @Override
  public void onStart(long startIteration, long totalIterations, String description) {
    if (quiet) {
      return;
    }
    ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalIterations)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
        .startsFrom(startIteration, java.time.Duration.ZERO).setMaxRenderedLength(160);
    if (lines != null) {
      builder.setConsumer(new DelegatingProgressBarConsumer(new ProgressLines(lines), 160));
    }
    bar = builder.build();
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
