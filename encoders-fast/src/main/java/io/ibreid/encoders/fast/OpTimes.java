package io.ibreid.encoders.fast;

import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Optional wall-clock time per op kind inside {@link Trunk} (convolution forward/backward, batch norm, ...), for
 * profiling. Off unless {@link #enable} is called; then every op the trunk runs is timed.
 */
public final class OpTimes {
  private static volatile boolean enabled;
  private static final Map<String, long[]> TIMES = new TreeMap<>();

  private OpTimes() {}

  public static void enable(boolean on) {
    enabled = on;
  }

  public static synchronized void reset() {
    TIMES.clear();
  }

  /** Nanoseconds and call counts by op kind since the last reset. */
  public static synchronized Map<String, long[]> snapshot() {
    Map<String, long[]> copy = new TreeMap<>();
    TIMES.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  static void exec(String kind, CustomOp op) {
    if (!enabled) {
      Nd4j.exec(op);
      return;
    }
    long t0 = System.nanoTime();
    Nd4j.exec(op);
    add(kind, System.nanoTime() - t0);
  }

  static void exec(String kind, org.nd4j.linalg.api.ops.Op op) {
    if (!enabled) {
      Nd4j.exec(op);
      return;
    }
    long t0 = System.nanoTime();
    Nd4j.exec(op);
    add(kind, System.nanoTime() - t0);
  }

  static synchronized void add(String kind, long nanos) {
    long[] t = TIMES.computeIfAbsent(kind, k -> new long[2]);
    t[0] += nanos;
    t[1]++;
  }

  static boolean enabled() {
    return enabled;
  }
}
