package io.ibreid.eval.ranking;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Ranking quality over the queries that have at least one valid true match; queries without one are skipped and
 * counted in {@code skippedQueries}. {@code cmc[k-1]} is the fraction of valid queries whose CMC position (counted by
 * {@code cmcConvention}) is at most {@code k} (k = 1..20); {@code mAP} and {@code mINP} are means over valid queries
 * of AP and INP (fractions, not percent). {@code galleryImages} is the size of the gallery the queries were ranked
 * against (before any camera-rule removal).
 */
public record RankingMetrics(double[] cmc, double mAP, double mINP, int validQueries, int skippedQueries,
    int galleryImages, CmcConvention cmcConvention) {
  /** A warning is due when more than this fraction of the queries is skipped. */
  public static final double SKIP_WARNING_FRACTION = 0.1;

  public RankingMetrics {
    cmc = cmc.clone();
    Objects.requireNonNull(cmcConvention, "cmcConvention");
  }

  @Override
  public double[] cmc() {
    return cmc.clone();
  }

  /** CMC at rank {@code k} (1-based). */
  public double rank(int k) {
    return cmc[k - 1];
  }

  /** Every query, valid or skipped. */
  public int queries() {
    return validQueries + skippedQueries;
  }

  /** Whether more than a tenth of the queries were skipped for lack of a valid true match. */
  public boolean manySkipped() {
    return skippedQueries > SKIP_WARNING_FRACTION * queries();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RankingMetrics m && Arrays.equals(cmc, m.cmc) && mAP == m.mAP && mINP == m.mINP
        && validQueries == m.validQueries && skippedQueries == m.skippedQueries && galleryImages == m.galleryImages
        && cmcConvention == m.cmcConvention;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(cmc) * 31 + Double.hashCode(mAP) + validQueries + 7 * galleryImages
        + cmcConvention.hashCode();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "R1 %.2f%% R5 %.2f%% R10 %.2f%% R20 %.2f%% mAP %.2f%% mINP %.2f%% "
        + "(CMC %s; %d queries: %d valid, %d skipped; %d gallery images)", 100 * cmc[0], 100 * cmc[4], 100 * cmc[9],
        100 * cmc[19], 100 * mAP, 100 * mINP, cmcConvention.description(), queries(), validQueries, skippedQueries,
        galleryImages);
  }
}
