package io.ibreid.eval.stats;

import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Statistics over repeated runs (one value per seed): the mean with the sample standard deviation and a two-sided
 * confidence interval (95 % unless another level is given) from Student's t with n - 1 degrees of freedom, and the
 * same for paired differences (method minus reference, seed by seed), which is how two variants trained with the same
 * seeds are compared.
 */
public final class SeedStatistics {
  /** Two-sided confidence level of the intervals unless one is given. */
  public static final double LEVEL = 0.95;

  private SeedStatistics() {}

  /**
   * Mean, sample standard deviation (n - 1 in the denominator) and the 95 % t interval of the mean.
   *
   * @param n        number of values
   * @param mean     their mean
   * @param sd       sample standard deviation (NaN for one value)
   * @param halfWidth half the width of the 95 % interval (NaN for one value)
   */
  public record Summary(int n, double mean, double sd, double halfWidth) {
    public double low() {
      return mean - halfWidth;
    }

    public double high() {
      return mean + halfWidth;
    }

    /** True when the interval lies entirely above or entirely below zero (false when it cannot be computed). */
    public boolean excludesZero() {
      return !Double.isNaN(halfWidth) && (low() > 0 || high() < 0);
    }

    /** {@code mean ± sd} with one decimal. */
    public String meanSd() {
      return Double.isNaN(sd) ? String.format(Locale.ROOT, "%.1f", mean)
          : String.format(Locale.ROOT, "%.1f ± %.1f", mean, sd);
    }

    /** {@code mean ± sd [low, high]} with one decimal ({@code mean} alone for one value). */
    public String meanSdCi() {
      if (Double.isNaN(halfWidth)) {
        return meanSd();
      }
      return String.format(Locale.ROOT, "%.1f ± %.1f [%.1f, %.1f]", mean, sd, low(), high());
    }

    /** {@code +1.2 [-0.3, +2.7]} with one decimal, and a star when the interval excludes zero. */
    public String difference() {
      if (Double.isNaN(halfWidth)) {
        return String.format(Locale.ROOT, "%+.1f", mean);
      }
      return String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]%s", mean, low(), high(), excludesZero() ? " *" : "");
    }
  }

  /** The summary of {@code values} (at least one), with a 95 % interval. */
  public static Summary of(double[] values) {
    return of(values, LEVEL);
  }

  /** The summary of {@code values} (at least one) with a two-sided t interval of confidence {@code level}. */
  public static Summary of(double[] values, double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
    }
    int n = values.length;
    if (n == 0) {
      throw new IllegalArgumentException("no values");
    }
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= n;
    if (n == 1) {
      return new Summary(1, mean, Double.NaN, Double.NaN);
    }
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / (n - 1));
    double t = tQuantile(n - 1, level);
    return new Summary(n, mean, sd, t * sd / Math.sqrt(n));
  }

  /** The summary of the seed-by-seed differences {@code method[i] - reference[i]}, with a 95 % interval. */
  public static Summary paired(double[] method, double[] reference) {
    return paired(method, reference, LEVEL);
  }

  /** The seed-by-seed differences {@code method[i] - reference[i]} with a t interval of confidence {@code level}. */
  public static Summary paired(double[] method, double[] reference, double level) {
    if (method.length != reference.length) {
      throw new IllegalArgumentException("paired values need the same seeds: " + method.length + " vs "
          + reference.length);
    }
    double[] d = new double[method.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = method[i] - reference[i];
    }
    return of(d, level);
  }

  /** The upper (1 + LEVEL) / 2 quantile of Student's t with {@code df} degrees of freedom (2.776 for df = 4). */
  public static double tQuantile(int df) {
    return tQuantile(df, LEVEL);
  }

  /** The upper (1 + level) / 2 quantile of Student's t with {@code df} degrees of freedom. */
  public static double tQuantile(int df, double level) {
    return new TDistribution(null, df).inverseCumulativeProbability(0.5 + level / 2);
  }
}
