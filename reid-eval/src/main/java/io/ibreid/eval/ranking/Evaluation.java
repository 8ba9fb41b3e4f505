package io.ibreid.eval.ranking;

/**
 * Metrics plus what each query contributed, for reports. Per query {@code i}: {@code distinctRank[i]}, its CMC
 * position over distinct identities ({@link CmcConvention#IDENTITY}), and {@code imageRank[i]}, the position of its
 * first true match among the gallery images ({@link CmcConvention#IMAGE}), both 0 when the query was skipped for lack
 * of a valid match; {@code ap[i]} and {@code inp[i]} its AP and INP (NaN when skipped). {@code metrics} summarises
 * them under one convention ({@link RankingMetrics#cmcConvention()}); {@link #metrics(CmcConvention)} gives the other.
 */
public record Evaluation(RankingMetrics metrics, int[] distinctRank, int[] imageRank, double[] ap, double[] inp) {
  public boolean skipped(int query) {
    return distinctRank[query] == 0;
  }

  /** The CMC positions under {@code convention} (shared, not copied). */
  public int[] ranks(CmcConvention convention) {
    return convention == CmcConvention.IMAGE ? imageRank : distinctRank;
  }

  /** The CMC position of {@code query} under the convention of {@link #metrics()} (0 when skipped). */
  public int rank(int query) {
    return ranks(metrics.cmcConvention())[query];
  }

  /** The same per-query results summarised under {@code convention}. */
  public RankingMetrics metrics(CmcConvention convention) {
    if (convention == metrics.cmcConvention()) {
      return metrics;
    }
    return RankingEvaluator.summarise(ranks(convention), ap, inp, metrics.galleryImages(), convention);
  }
}
