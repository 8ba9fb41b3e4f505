package io.ibreid.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Decides when a warm-up is over from the JIT compiler's own accounting: the warm-up is steady once the compiler has
 * spent at most {@link #IDLE_SHARE} (a fraction) of the wall time of the last {@link #WINDOW} steps compiling. On 2 cores the C2
 * compiler threads take a core for the first few hundred training steps, and a 2-thread step waits for the descheduled
 * worker; timing those steps measures the JIT, not the step. Compilation comes back in bursts after the warm-up (tier
 * changes of ND4J's large methods), so the timed steps the JIT finished work in are dropped as well
 * ({@link #quietSteps}). Without compilation-time monitoring in this JVM the warm-up is {@link #MIN_STEPS} steps.
 */
final class JitWarmup {
  static final int WINDOW = 30;
  static final int MIN_STEPS = 10;
  static final int MAX_STEPS = 600;
  /** A warm-up also ends after this much wall time (a slow encoder's 600 steps could take half an hour). */
  static final double MAX_SECONDS = 90;
  static final int IDLE_PERCENT = 1;
  static final double IDLE_SHARE = IDLE_PERCENT / 100.0;

  private final LongSupplier jitClock;
  private final boolean monitored;
  /** (JIT ms at the step's end, step nanoseconds) of the last WINDOW warm-up steps. */
  private final ArrayDeque<long[]> recent = new ArrayDeque<>();
  private int steps;
  private long warmupNanos;
  private final long jitAtStart;
  private long jitAtTimed;
  private long lastTimed;
  private final java.util.List<Boolean> busy = new java.util.ArrayList<>();

  /** The JVM's JIT compiler: its accumulated compilation time, when this JVM measures it. */
  JitWarmup() {
    this(ManagementFactory.getCompilationMXBean());
  }

  private JitWarmup(CompilationMXBean jit) {
    this(jit != null && jit.isCompilationTimeMonitoringSupported() ? jit::getTotalCompilationTime : null);
  }

  /** {@code jitClock}: accumulated JIT compilation milliseconds, or null when unknown. */
  JitWarmup(LongSupplier jitClock) {
    this.jitClock = jitClock;
    this.monitored = jitClock != null;
    this.jitAtStart = jitMillis();
  }

  private long jitMillis() {
    return monitored ? jitClock.getAsLong() : 0;
  }

  void afterWarmupStep(long nanos) {
    steps++;
    warmupNanos += nanos;
    recent.addLast(new long[] {jitMillis(), nanos});
    if (recent.size() > WINDOW + 1) {
      recent.removeFirst();
    }
  }

  /** Whether the last WINDOW warm-up steps were (nearly) free of JIT work; false before MIN_STEPS steps. */
  boolean steady() {
    if (steps < MIN_STEPS) {
      return false;
    }
    if (!monitored) {
      return true;
    }
    if (recent.size() <= WINDOW) {
      return false;
    }
    long jitMs = recent.getLast()[0] - recent.getFirst()[0];
    long wallNs = recent.stream().skip(1).mapToLong(r -> r[1]).sum();
    return jitMs * 1e6 <= IDLE_SHARE * wallNs;
  }

  /** Whether the warm-up should end: steady, or MAX_STEPS steps or MAX_SECONDS seconds spent. */
  boolean done() {
    return steady() || steps >= MAX_STEPS || warmupNanos >= MAX_SECONDS * 1e9;
  }

  void startTimed() {
    jitAtTimed = jitMillis();
    lastTimed = jitAtTimed;
    busy.clear();
  }

  /** Records whether the JIT finished compilation work during the timed step that just ended. */
  void afterTimedStep() {
    long now = jitMillis();
    busy.add(now > lastTimed);
    lastTimed = now;
  }

  /**
   * The timed steps the JIT finished no compilation in, or all of them when fewer than half were such (a compilation
   * that straddles steps is seen only in the step it ends in, so this drops the worst steps, not every affected one).
   */
  double[] quietSteps(double[] seconds) {
    double[] q = java.util.stream.IntStream.range(0, seconds.length).filter(k -> k >= busy.size() || !busy.get(k))
        .mapToDouble(k -> seconds[k]).toArray();
    return q.length * 2 >= seconds.length ? q : seconds;
  }

  String describeWarmup() {
    if (!monitored) {
      return "no JIT time monitoring in this JVM, fixed " + MIN_STEPS + " steps";
    }
    return (jitAtTimed - jitAtStart) + " ms of JIT compilation during it"
        + (steady() ? "" : "; stopped at the cap of " + MAX_STEPS + " steps or " + (int) MAX_SECONDS
            + " s, the JIT not yet idle");
  }

  /** The JIT's compilation time during the timed steps against their wall time. */
  String describeTimed(double[] seconds) {
    if (!monitored) {
      return "JIT time not monitored";
    }
    double wallMs = Arrays.stream(seconds).sum() * 1e3;
    long jitMs = jitMillis() - jitAtTimed;
    return String.format("JIT compilation during the timed steps: %d ms (%.1f %% of their %.0f ms)", jitMs,
        wallMs > 0 ? 100.0 * jitMs / wallMs : 0.0, wallMs);
  }
}
