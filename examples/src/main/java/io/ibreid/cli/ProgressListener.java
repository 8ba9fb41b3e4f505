package io.ibreid.cli;

import io.ibreid.core.train.IterationRecord;
import io.ibreid.core.train.TrainerListener;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Console progress for training: a bar with ETA, img/s and the per-term losses of the latest step. */
final class ProgressListener implements TrainerListener, AutoCloseable {
  private final boolean quiet;
  private ProgressBar bar;

  ProgressListener(boolean quiet) {
    this.quiet = quiet;
  }

  @Override
  public void onStart(long startIteration, long totalIterations, String description) {
    if (quiet) {
      return;
    }
    bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalIterations)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
        .startsFrom(startIteration, java.time.Duration.ZERO).setMaxRenderedLength(160).build();
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
