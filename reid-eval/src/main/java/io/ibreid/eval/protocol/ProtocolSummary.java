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
