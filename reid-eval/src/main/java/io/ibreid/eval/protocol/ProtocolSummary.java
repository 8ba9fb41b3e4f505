package io.ibreid.eval.protocol;

import io.ibreid.eval.ranking.CmcConvention;
import io.ibreid.eval.ranking.MetricsJson;
import io.ibreid.eval.ranking.RankingEvaluator;
import io.ibreid.eval.ranking.RankingMetrics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Metrics of every trial of a protocol with their mean and standard deviation (population standard deviation, i.e.
 * divided by the number of trials), and the counts behind them: queries, gallery images, valid and skipped queries
 * (means over trials; only the gallery size usually differs between trials). All metric values are fractions. Every
 * trial counts CMC by the same {@link CmcConvention}.
 */
public record ProtocolSummary(List<RankingMetrics> trials, double[] meanCmc, double[] stdCmc, double meanMAP,
    double stdMAP, double meanMINP, double stdMINP, CmcConvention cmcConvention, double meanQueries,
    double meanGalleryImages, double meanValidQueries, double meanSkippedQueries) {

  public static ProtocolSummary of(List<RankingMetrics> trials) {
    if (trials.isEmpty()) {
      throw new IllegalArgumentException("no trials");
    }
    CmcConvention convention = trials.get(0).cmcConvention();
    for (RankingMetrics m : trials) {
      if (m.cmcConvention() != convention) {
        throw new IllegalArgumentException("trials count CMC by different conventions: " + convention + " and "
            + m.cmcConvention());
      }
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
    return new ProtocolSummary(List.copyOf(trials), mean, std, mean(ap), std(ap), mean(inp), std(inp), convention,
        mean(trials.stream().mapToDouble(RankingMetrics::queries).toArray()),
        mean(trials.stream().mapToDouble(RankingMetrics::galleryImages).toArray()),
        mean(trials.stream().mapToDouble(RankingMetrics::validQueries).toArray()),
        mean(trials.stream().mapToDouble(RankingMetrics::skippedQueries).toArray()));
  }

  /**
   * One line saying that more than a tenth of the queries had no valid true match (and so count in no metric), or
   * empty when fewer were skipped.
   */
  public Optional<String> skipWarning(String title) {
    if (!(meanSkippedQueries > RankingMetrics.SKIP_WARNING_FRACTION * meanQueries)) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "%s: %s of %s queries (%.1f %%) have no valid true match in the "
        + "gallery%s and were skipped; the metrics are over the other %s", title, count(meanSkippedQueries),
        count(meanQueries), 100 * meanSkippedQueries / meanQueries, trials.size() > 1 ? " (mean over trials)" : "",
        count(meanValidQueries)));
  }

  /**
   * JSON (percent, 6 decimals): {@code rank1, rank5, rank10, rank20, mAP, mINP, cmc} as means over trials, the same
   * keys with a {@code Std} suffix ({@code rank1Std}, ..., {@code cmcStd}), {@code cmcConvention} ({@code image} or
   * {@code identity}), the counts {@code queries}, {@code galleryImages}, {@code validQueries} and
   * {@code skippedQueries} (means over trials), {@code trials} and {@code perTrial} (one object per trial with the
   * eval-features keys).
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
    sb.append("\"cmcStd\": ").append(array(stdCmc));
    sb.append(", \"cmcConvention\": \"").append(cmcConvention.label()).append('"');
    sb.append(", \"queries\": ").append(count(meanQueries));
    sb.append(", \"galleryImages\": ").append(count(meanGalleryImages));
    sb.append(", \"validQueries\": ").append(count(meanValidQueries));
    sb.append(", \"skippedQueries\": ").append(count(meanSkippedQueries));
    sb.append(", \"trials\": ").append(trials.size());
    sb.append(", \"perTrial\": [");
    for (int t = 0; t < trials.size(); t++) {
      sb.append(t == 0 ? "" : ", ").append(MetricsJson.of(trials.get(t), Map.of()));
    }
    return sb.append("]}").toString();
  }

  /**
   * A fixed-width table under {@code title}: a header naming the CMC convention, one line per trial, then mean and
   * std (percent), each with the query, gallery, valid and skipped counts (the std line has none).
   */
  public String table(String title) {
    StringBuilder sb = new StringBuilder(title).append('\n');
    sb.append(String.format(Locale.ROOT, "%-6s %7s %7s %7s %7s %7s %7s %8s %8s %8s %8s   (CMC %s)%n", "trial", "R1",
        "R5", "R10", "R20", "mAP", "mINP", "queries", "gallery", "valid", "skipped", cmcConvention.description()));
    for (int t = 0; t < trials.size(); t++) {
      RankingMetrics m = trials.get(t);
      sb.append(row(Integer.toString(t + 1), m.cmc(), m.mAP(), m.mINP())).append(counts(m.queries(),
          m.galleryImages(), m.validQueries(), m.skippedQueries())).append('\n');
    }
    sb.append(row("mean", meanCmc, meanMAP, meanMINP)).append(counts(meanQueries, meanGalleryImages,
        meanValidQueries, meanSkippedQueries)).append('\n');
    sb.append(row("std", stdCmc, stdMAP, stdMINP)).append('\n');
    return sb.toString();
  }

  private static String row(String label, double[] cmc, double ap, double inp) {
    return String.format(Locale.ROOT, "%-6s %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f", label, 100 * cmc[0],
        100 * cmc[4], 100 * cmc[9], 100 * cmc[19], 100 * ap, 100 * inp);
  }

  private static String counts(double queries, double gallery, double valid, double skipped) {
    return String.format(Locale.ROOT, " %8s %8s %8s %8s", count(queries), count(gallery), count(valid),
        count(skipped));
  }

  /** A count or a mean of counts: an integer when whole, else one decimal. */
  public static String count(double value) {
    if (value == Math.rint(value)) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static String pct(double fraction) {
    return new BigDecimal(100 * fraction).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
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
