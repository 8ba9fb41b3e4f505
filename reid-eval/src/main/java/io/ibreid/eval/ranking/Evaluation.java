package io.ibreid.eval.ranking;

/**
 * Metrics plus what each query contributed, for reports: {@code distinctRank[i]} is the CMC position of query
 * {@code i} (0 when the query was skipped for lack of a valid match), {@code ap[i]} and {@code inp[i]} its AP and INP
 * (NaN when skipped).
 */
public record Evaluation(RankingMetrics metrics, int[] distinctRank, double[] ap, double[] inp) {
  public boolean skipped(int query) {
    return distinctRank[query] == 0;
  }
}
