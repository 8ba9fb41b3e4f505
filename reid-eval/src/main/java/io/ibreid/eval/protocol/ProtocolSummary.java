package io.ibreid.eval.protocol;

import io.ibreid.eval.ranking.RankingEvaluator;
import io.ibreid.eval.ranking.RankingMetrics;
import java.util.List;

/**
 * Metrics of every trial of a protocol with their mean and standard deviation (population standard deviation, i.e.
 * divided by the number of trials). All values are fractions.
 */
public record ProtocolSummary(List<RankingMetrics> trials, double[] meanCmc, double[] stdCmc, double meanMAP,
    double stdMAP, double meanMINP, double stdMINP) {

  public static ProtocolSummary of(List<RankingMetrics> trials) {
    if (trials.isEmpty()) {
      throw new IllegalArgumentException("no trials");
    }
    int r = RankingEvaluator.MAX_RANK;
    double[] mean = new double[r];
    double[] std = new double[r];
    for (int k = 0; k < r; k++) {
      int kk = k;
      double[] v = trials.stream().mapToDouble(m -> m.cmc()[kk]).toArray();
      mean[k] = mean(v);
      std[k] = std(v);
    }
    double[] ap = trials.stream().mapToDouble(RankingMetrics::mAP).toArray();
    double[] inp = trials.stream().mapToDouble(RankingMetrics::mINP).toArray();
    return new ProtocolSummary(List.copyOf(trials), mean, std, mean(ap), std(ap), mean(inp), std(inp));
  }

  /** The mean metrics as one {@link RankingMetrics} (query counts are those of the first trial). */
  public RankingMetrics mean() {
    RankingMetrics first = trials.get(0);
    return new RankingMetrics(meanCmc, meanMAP, meanMINP, first.validQueries(), first.skippedQueries());
  }

  /**
   * JSON (percent, 6 decimals): {@code rank1, rank5, rank10, rank20, mAP, mINP, cmc} as means over trials, the same
   * keys with a {@code Std} suffix ({@code rank1Std}, ..., {@code cmcStd}), {@code trials} and {@code perTrial} (one
   * object per trial with the eval-features keys).
   */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{");
    int[] ranks = {1, 5, 10, 20};
    for (int r : ranks) {
      sb.append("\"rank").append(r).append("\": ").append(pct(meanCmc[r - 1])).append(", ");
    }
    sb.append("\"mAP\": ").append(pct(meanMAP)).append(", \"mINP\": ").append(pct(meanMINP)).append(", ");
    sb.append("\"cmc\": ").append(array(meanCmc)).append(", ");
    for (int r : ranks) {
      sb.append("\"rank").append(r).append("Std\": ").append(pct(stdCmc[r - 1])).append(", ");
    }
    sb.append("\"mAPStd\": ").append(pct(stdMAP)).append(", \"mINPStd\": ").append(pct(stdMINP)).append(", ");
    sb.append("\"cmcStd\": ").append(array(stdCmc)).append(", \"trials\": ").append(trials.size());
    sb.append(", \"perTrial\": [");
    for (int t = 0; t < trials.size(); t++) {
      sb.append(t == 0 ? "" : ", ").append(io.ibreid.eval.ranking.MetricsJson.of(trials.get(t), java.util.Map.of()));
    }
    return sb.append("]}").toString();
  }

  /** A fixed-width table: one line per trial, then mean and std (percent). */
  public String table(String title) {
    StringBuilder sb = new StringBuilder(title).append('\n');
    sb.append(String.format(java.util.Locale.ROOT, "%-6s %7s %7s %7s %7s %7s %7s%n", "trial", "R1", "R5", "R10", "R20",
        "mAP", "mINP"));
    for (int t = 0; t < trials.size(); t++) {
      RankingMetrics m = trials.get(t);
      sb.append(row(Integer.toString(t + 1), m.cmc(), m.mAP(), m.mINP()));
    }
    sb.append(row("mean", meanCmc, meanMAP, meanMINP));
    sb.append(row("std", stdCmc, stdMAP, stdMINP));
    return sb.toString();
  }

  private static String row(String label, double[] cmc, double ap, double inp) {
    return String.format(java.util.Locale.ROOT, "%-6s %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f%n", label, 100 * cmc[0],
        100 * cmc[4], 100 * cmc[9], 100 * cmc[19], 100 * ap, 100 * inp);
  }

  private static String pct(double fraction) {
    return new java.math.BigDecimal(100 * fraction).setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
        .toPlainString();
  }

  private static String array(double[] fractions) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < fractions.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(pct(fractions[i]));
    }
    return sb.append(']').toString();
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  static double std(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.length);
  }
}
