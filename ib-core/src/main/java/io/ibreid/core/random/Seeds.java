package io.ibreid.core.random;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent, repeatable seeds from the run seed and a position (iteration, purpose), so that nothing
 * random depends on how many draws happened before: a resumed run draws exactly what an uninterrupted one drew.
 */
public final class Seeds {
  private Seeds() {}

  /** SplitMix64 finaliser over the run seed, a counter and a purpose string. */
  public static long derive(long seed, long counter, String purpose) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    h = mix(h ^ counter);
    for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h ^ b);
    }
    return h;
  }

  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
