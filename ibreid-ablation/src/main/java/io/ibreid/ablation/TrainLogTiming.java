package io.ibreid.ablation;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training speed read back from a run's {@code train.log} (written by the facade: one line per event, starting with
 * a {@code yyyy-MM-dd HH:mm:ss.SSS} time; the trainer's step lines contain {@code iter N/TOTAL}).
 */
final class TrainLogTiming {
  private static final Pattern ITER = Pattern.compile(
      "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) .*\\biter (\\d+)/(\\d+)");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private TrainLogTiming() {}

  /**
   * Training steps per second: the steps between consecutive logged steps over the time between them, skipping
   * gaps of 600 s or more (a pause or a restart, not training); NaN when the lines hold fewer than two steps.
   */
  static double stepsPerSecond(List<String> lines) {
    double steps = 0;
    double seconds = 0;
    LocalDateTime lastTime = null;
    long lastIter = -1;
    for (String line : lines) {
      Matcher m = ITER.matcher(line);
      if (!m.find()) {
        continue;
      }
      LocalDateTime t = LocalDateTime.parse(m.group(1), TIME);
      long it = Long.parseLong(m.group(2));
      if (lastTime != null && it > lastIter) {
        double dt = Duration.between(lastTime, t).toMillis() / 1000.0;
        if (dt > 0 && dt < 600) {
          steps += it - lastIter;
          seconds += dt;
        }
      }
      lastTime = t;
      lastIter = it;
    }
    return seconds > 0 ? steps / seconds : Double.NaN;
  }
}
