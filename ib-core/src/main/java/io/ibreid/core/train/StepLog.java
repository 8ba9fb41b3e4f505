package io.ibreid.core.train;

import java.lang.System.Logger.Level;
import java.util.Map;

/** Every {@code log.everyIterations}-th step and the last: one line of the narrative with the loss and its terms. */
final class StepLog implements TrainingHook {
  private final Events events;
  private final int every;
  private final long total;

  StepLog(Events events, int every, long total) {
    this.events = events;
    this.every = every;
    this.total = total;
  }

  @Override
  public void afterStep(StepEnd s) {
    if (s.done() % every != 0 && !s.last()) {
      return;
    }
    IterationRecord r = s.record();
    events.log(Level.INFO, "iter " + s.done() + "/" + total + " epoch " + (s.epoch() + 1) + " lr "
        + String.format("%.3g", r.lr()) + " loss " + String.format("%.4f", r.loss()) + " " + format(r.terms()) + " "
        + String.format("%.1f", r.imagesPerSecond()) + " img/s");
  }

  private static String format(Map<String, Double> terms) {
    StringBuilder sb = new StringBuilder("[");
    terms.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(' ')
        .append(String.format("%.4f", v)));
    return sb.append(']').toString();
  }
}
