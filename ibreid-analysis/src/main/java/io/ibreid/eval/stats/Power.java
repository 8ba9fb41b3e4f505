package io.ibreid.eval.stats;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The power of the paired two-sided t test the ablation's intervals amount to ("the interval excludes zero"), and
 * its minimum detectable effect: the smallest true mean difference that n paired seeds with standard deviation sd
 * detect with the given probability. Exact, from the noncentral t distribution:
 * {@code power = P(T' > t_c) + P(T' < −t_c)}, {@code T' = (Z + δ√n/sd) / √(V/(n−1))}, {@code V ~ χ²(n−1)},
 * evaluated as an integral over V. With sd = 1 the MDE at 80 % power and 95 % is 1.682 for n = 5 and 0.996 for
 * n = 10 (the standard tables); for large n it tends to (z₀.₉₇₅ + z₀.₈) sd/√n.
 */
public final class Power {
  /** The power at which {@link #mde} is quoted unless told otherwise. */
  public static final double DEFAULT_POWER = 0.8;

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
  private static final int STEPS = 4000;

  private Power() {}

  /**
   * The probability that the two-sided t interval of confidence {@code level} of n paired differences excludes zero
   * when their true mean is {@code effect} and their sd is {@code sd}.
   */
  public static double power(double effect, double sd, int n, double level) {
    check(sd, n, level);
    return new Grid(n - 1, level).power(Math.abs(effect) * Math.sqrt(n) / sd);
  }

  /**
   * The integral over s = sqrt(V/(n−1)), V ~ χ²(n−1), of the probability that |T'| exceeds the critical t: the
   * density of s, 2·df·s·f_χ²(df·s²), is finite at s = 0 for every df; midpoint rule, tabulated once per df.
   */
  private static final class Grid {
    final double tc;
    final double[] s = new double[STEPS];
    final double[] weight = new double[STEPS];

    Grid(int df, double level) {
      tc = SeedStatistics.tQuantile(df, level);
      ChiSquaredDistribution chi = new ChiSquaredDistribution(null, df);
      double h = Math.sqrt((df + 12 * Math.sqrt(2.0 * df) + 40) / df) / STEPS;
      for (int i = 0; i < STEPS; i++) {
        s[i] = (i + 0.5) * h;
        weight[i] = 2 * df * s[i] * chi.density(df * s[i] * s[i]) * h;
      }
    }

    double power(double ncp) {
      double sum = 0;
      for (int i = 0; i < STEPS; i++) {
        sum += weight[i] * (NORMAL.cumulativeProbability(ncp - tc * s[i])
            + NORMAL.cumulativeProbability(-tc * s[i] - ncp));
      }
      return Math.min(1, sum);
    }
  }

  /**
   * The minimum detectable effect: the |mean difference| at which {@link #power} equals {@code power}, found by
   * bisection; NaN when it cannot be computed (fewer than 2 seeds, or sd not a positive number).
   */
  public static double mde(double sd, int n, double level, double power) {
    if (n < 2 || !(sd > 0) || Double.isInfinite(sd)) {
      return Double.NaN;
    }
    check(sd, n, level);
    if (!(power > 0 && power < 1)) {
      throw new IllegalArgumentException("power must be in (0, 1), got " + power);
    }
    Grid grid = new Grid(n - 1, level);
    double scale = Math.sqrt(n) / sd;
    double lo = 0;
    double hi = sd;
    while (grid.power(hi * scale) < power) {
      hi *= 2;
    }
    for (int i = 0; i < 50; i++) {
      double mid = (lo + hi) / 2;
      if (grid.power(mid * scale) < power) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** {@link #mde} at 80 % power. */
  public static double mde(double sd, int n, double level) {
    return mde(sd, n, level, DEFAULT_POWER);
  }

  private static void check(double sd, int n, double level) {
    if (n < 2) {
      throw new IllegalArgumentException("a paired t test needs at least 2 seeds, got " + n);
    }
    if (!(sd > 0) || Double.isInfinite(sd)) {
      throw new IllegalArgumentException("sd must be a positive number, got " + sd);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
    }
  }
}
