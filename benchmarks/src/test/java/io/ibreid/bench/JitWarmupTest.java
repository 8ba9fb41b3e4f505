package io.ibreid.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JitWarmupTest {
  private static final long STEP_NS = 100_000_000L; // 100 ms steps: 1 % of a 30-step window is 30 ms

  @Test
  void steadyOnlyAfterAFullWindowWithAtMostOnePercentOfCompilation() {
    AtomicLong jitMs = new AtomicLong();
    JitWarmup w = new JitWarmup(jitMs::get);
    for (int i = 0; i < JitWarmup.WINDOW; i++) {
      jitMs.addAndGet(50); // compiling during the first WINDOW steps
      w.afterWarmupStep(STEP_NS);
      assertThat(w.steady()).isFalse();
    }
    // then 30 ms of compilation over the next 30 steps of 100 ms: exactly 1 % of 3 000 ms, steady only at the end
    for (int i = 0; i < JitWarmup.WINDOW; i++) {
      assertThat(w.steady()).isFalse();
      jitMs.addAndGet(1);
      w.afterWarmupStep(STEP_NS);
    }
    assertThat(w.steady()).isTrue();
    jitMs.addAndGet(40); // a burst: 71 ms over the last 30 steps is 2.4 %
    w.afterWarmupStep(STEP_NS);
    assertThat(w.steady()).isFalse();
  }

  @Test
  void neverSteadyBeforeTheMinimumStepsEvenWithoutJitTiming() {
    JitWarmup w = new JitWarmup((java.util.function.LongSupplier) null);
    for (int i = 0; i < JitWarmup.MIN_STEPS - 1; i++) {
      w.afterWarmupStep(STEP_NS);
      assertThat(w.steady()).isFalse();
    }
    w.afterWarmupStep(STEP_NS);
    assertThat(w.steady()).isTrue();
    assertThat(w.describeWarmup()).contains("fixed " + JitWarmup.MIN_STEPS);
  }

  @Test
  void timedStepsTheJitFinishedWorkInAreDroppedWhenAtMostHalf() {
    AtomicLong jitMs = new AtomicLong(1000);
    JitWarmup w = new JitWarmup(jitMs::get);
    w.startTimed();
    double[] t = {0.040, 0.090, 0.041, 0.042, 0.120, 0.039};
    boolean[] compiled = {false, true, false, false, true, false};
    for (boolean c : compiled) {
      if (c) {
        jitMs.addAndGet(25);
      }
      w.afterTimedStep();
    }
    assertThat(w.quietSteps(t)).containsExactly(0.040, 0.041, 0.042, 0.039);
    assertThat(w.describeTimed(t)).contains("50 ms (13.4 % of their 372 ms)");
  }

  @Test
  void allStepsKeptWhenTheJitWasBusyInMostOfThem() {
    AtomicLong jitMs = new AtomicLong();
    JitWarmup w = new JitWarmup(jitMs::get);
    w.startTimed();
    double[] t = {0.05, 0.06, 0.07, 0.08};
    for (int k = 0; k < t.length; k++) {
      if (k != 2) {
        jitMs.addAndGet(10);
      }
      w.afterTimedStep();
    }
    assertThat(w.quietSteps(t)).containsExactly(t);
  }

  @Test
  void aWarmupThatNeverSettlesEndsAtTheTimeCap() {
    AtomicLong jitMs = new AtomicLong();
    JitWarmup w = new JitWarmup(jitMs::get);
    long stepNs = 3_000_000_000L; // a 3 s step: 90 s after 30 steps
    for (int i = 0; i < 29; i++) {
      jitMs.addAndGet(500);
      w.afterWarmupStep(stepNs);
      assertThat(w.done()).isFalse();
    }
    jitMs.addAndGet(500);
    w.afterWarmupStep(stepNs);
    assertThat(w.steady()).isFalse();
    assertThat(w.done()).isTrue();
    w.startTimed();
    assertThat(w.describeWarmup()).contains("15000 ms").contains("the JIT not yet idle");
  }
}
