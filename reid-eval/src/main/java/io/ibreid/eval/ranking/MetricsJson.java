package io.ibreid.eval.ranking;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * The metrics as one JSON object, in percent as papers print them: {@code rank1, rank5, rank10, rank20, mAP, mINP,
 * cmc} (20 values), {@code cmcConvention} ({@code image} or {@code identity}, see {@link CmcConvention}), the counts
 * {@code queries}, {@code galleryImages}, {@code validQueries} and {@code skippedQueries}, then any extra string
 * fields. Values are rounded to 6 decimals.
 */
public final class MetricsJson {
  private MetricsJson() {}

  public static String of(RankingMetrics m, Map<String, String> extra) {
    StringBuilder sb = new StringBuilder("{");
    field(sb, "rank1", m.rank(1));
    field(sb, "rank5", m.rank(5));
    field(sb, "rank10", m.rank(10));
    field(sb, "rank20", m.rank(20));
    field(sb, "mAP", m.mAP());
    field(sb, "mINP", m.mINP());
    sb.append("\"cmc\": [");
    double[] cmc = m.cmc();
    for (int k = 0; k < cmc.length; k++) {
      sb.append(k == 0 ? "" : ", ").append(percent(cmc[k]));
    }
    sb.append("], \"cmcConvention\": \"").append(m.cmcConvention().label()).append('"');
    sb.append(", \"queries\": ").append(m.queries());
    sb.append(", \"galleryImages\": ").append(m.galleryImages());
    sb.append(", \"validQueries\": ").append(m.validQueries());
    sb.append(", \"skippedQueries\": ").append(m.skippedQueries());
    for (Map.Entry<String, String> e : extra.entrySet()) {
      sb.append(", \"").append(escape(e.getKey())).append("\": \"").append(escape(e.getValue())).append('"');
    }
    return sb.append('}').toString();
  }

  private static void field(StringBuilder sb, String key, double fraction) {
    sb.append('"').append(key).append("\": ").append(percent(fraction)).append(", ");
  }

  static String percent(double fraction) {
    return new BigDecimal(100 * fraction).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
