package io.ibreid.eval.protocol;

import io.ibreid.eval.features.ImageMeta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws the gallery of one trial: {@code shots} images for every (camera, identity) group, reproducibly.
 *
 * <p>Exact procedure, so that any language can reproduce a trial: the images of a group are put in order of their
 * path (then of their position in the input); the group is shuffled with a Fisher-Yates shuffle
 * ({@code for i = size-1 down to 1: j = unsignedRemainder(next(), i + 1); swap(i, j)}) whose {@code next()} is
 * SplitMix64 started from state {@code seed(trial, camera, pid) = 1_000_003 * (1_000_003 * (trial + 1) + camera) + pid}
 * (64-bit wrap-around arithmetic; trials are numbered from 0); the first {@code shots} images are kept (all of them
 * when the group is smaller). SplitMix64: {@code state += 0x9E3779B97F4A7C15; z = state;
 * z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >>> 27)) * 0x94D049BB133111EB; return z ^ (z >>> 31)}.
 * A group's draw therefore depends only on the trial number and its own images, not on the other groups.
 */
public final class TrialSampler {
  private TrialSampler() {}

  /**
   * Indices (into {@code images}, ascending) of the gallery of trial {@code trial}, drawn from the images whose camera
   * is in {@code cameras}.
   */
  public static int[] gallery(List<ImageMeta> images, int[] cameras, int shots, int trial) {
    if (shots < 1) {
      throw new IllegalArgumentException("shots must be >= 1, got " + shots);
    }
    Map<Long, List<Integer>> groups = new TreeMap<>();
    for (int i = 0; i < images.size(); i++) {
      ImageMeta m = images.get(i);
      if (contains(cameras, m.camid())) {
        groups.computeIfAbsent(((long) m.camid() << 32) | (m.pid() & 0xffffffffL), k -> new ArrayList<>()).add(i);
      }
    }
    List<Integer> chosen = new ArrayList<>();
    for (List<Integer> group : groups.values()) {
      group.sort(Comparator.comparing((Integer i) -> images.get(i).path()).thenComparing(i -> i));
      ImageMeta first = images.get(group.get(0));
      int[] order = group.stream().mapToInt(Integer::intValue).toArray();
      long[] state = {seed(trial, first.camid(), first.pid())};
      for (int i = order.length - 1; i >= 1; i--) {
        int j = (int) Long.remainderUnsigned(next(state), i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int k = 0; k < Math.min(shots, order.length); k++) {
        chosen.add(order[k]);
      }
    }
    int[] out = chosen.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(out);
    return out;
  }

  static long seed(int trial, int camera, int pid) {
    return 1_000_003L * (1_000_003L * (trial + 1) + camera) + pid;
  }

  static long next(long[] state) {
    long z = (state[0] += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static boolean contains(int[] values, int v) {
    for (int x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }
}
