package io.ibreid.ablation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The steps/s read from a train.log. */
class TrainLogTimingTest {
  @Test
  void stepsPerSecondFromTheLogSkippingPauses() {
    List<String> log = List.of(
        "2026-12-04 19:37:39.599 INFO  i.i.core.train.Trainer - Training baseline-ce for 1500 iterations",
        "2026-12-04 19:38:00.000 INFO  i.i.core.train.Trainer - iter 10/1500 epoch 1 lr 0.0003 loss 29.1",
        "2026-12-04 19:38:10.000 INFO  i.i.core.train.Trainer - iter 20/1500 epoch 1 lr 0.0004 loss 25.0",
        "2026-12-04 19:38:30.000 INFO  i.i.core.train.Trainer - iter 40/1500 epoch 1 lr 0.0004 loss 25.0",
        // an hour's pause (an interrupted run resumed later) is not training time
        "2026-12-04 20:38:30.000 INFO  iter 50/1500 epoch 1 lr 0.0004 loss 25.0",
        "2026-12-04 20:38:40.000 INFO  iter 60/1500 epoch 1 lr 0.0004 loss 25.0");
    // (10 + 20 + 10) steps in (10 + 20 + 10) s
    assertThat(TrainLogTiming.stepsPerSecond(log)).isCloseTo(1.0, within(1e-12));
    assertThat(TrainLogTiming.stepsPerSecond(List.of("nothing"))).isNaN();
  }
}
