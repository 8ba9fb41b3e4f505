package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.train.IterationRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Away from a terminal the training bar writes one line per update (ProgressLogIT: the same through bin/ibreid). */
class ProgressListenerTest {
  private static IterationRecord step(long i) {
    return new IterationRecord(i, 0, 1e-3, 2.5, new TreeMap<>(Map.of("ce", 2.0, "triplet", 0.5)), Map.of(), 1.0, 10.0,
        0.0, false);
  }

  @Test
  void eachUpdateIsALineWithoutCarriageReturns() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream lines = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressListener progress = new ProgressListener(false, lines)) {
      progress.onStart(0, 4, "tiny");
      progress.onIteration(step(0));
      progress.onIteration(step(1));
      Thread.sleep(1200); // more than two update intervals (500 ms): the bar is redrawn at least once meanwhile
      progress.onIteration(step(2));
      progress.onIteration(step(3));
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\r").endsWith(System.lineSeparator());
    List<String> rows = text.lines().toList();
    assertThat(rows.size()).as(text).isGreaterThanOrEqualTo(2);
    assertThat(rows).allSatisfy(row -> assertThat(row).startsWith("train"));
    assertThat(rows.get(rows.size() - 1)).contains("4/4", "loss 2.500", "ce=2.000 triplet=0.500");
    assertThat(rows).doesNotHaveDuplicates();
  }

  @Test
  void quietWritesNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ProgressListener progress = new ProgressListener(true, new PrintStream(bytes, true))) {
      progress.onStart(0, 2, "tiny");
      progress.onIteration(step(0));
    }
    assertThat(bytes.size()).isZero();
  }
}
