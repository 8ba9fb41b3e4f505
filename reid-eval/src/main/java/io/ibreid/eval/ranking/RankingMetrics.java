package io.ibreid.eval.ranking;

import java.util.Arrays;

/**
 * Ranking quality over the queries that have at least one valid true match; queries without one are skipped and
 * counted in {@code skippedQueries}. {@code cmc[k-1]} is the fraction of valid queries whose identity appears among
 * the first {@code k} distinct gallery identities (k = 1..20); {@code mAP} and {@code mINP} are means over valid
 * queries of AP and INP (fractions, not percent).
 */
public record RankingMetrics(double[] cmc, double mAP, double mINP, int validQueries, int skippedQueries) {
  public RankingMetrics {
    cmc = cmc.clone();
  }

  @Override
  public double[] cmc() {
    return cmc.clone();
  }

  /** CMC at rank {@code k} (1-based). */
  public double rank(int k) {
    return cmc[k - 1];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RankingMetrics m && Arrays.equals(cmc, m.cmc) && mAP == m.mAP && mINP == m.mINP
        && validQueries == m.validQueries && skippedQueries == m.skippedQueries;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(cmc) * 31 + Double.hashCode(mAP) + validQueries;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "R1 %.2f%% R5 %.2f%% R10 %.2f%% R20 %.2f%% mAP %.2f%% mINP %.2f%% "
        + "(%d valid, %d skipped queries)", 100 * cmc[0], 100 * cmc[4], 100 * cmc[9], 100 * cmc[19], 100 * mAP,
        100 * mINP, validQueries, skippedQueries);
  }
}
