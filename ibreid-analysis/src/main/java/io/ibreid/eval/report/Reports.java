package io.ibreid.eval.report;

import io.ibreid.eval.protocol.FeatureEvaluation;
import io.ibreid.eval.ranking.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes {@code cmc.png}, {@code ranklist.png} and {@code ranklist.csv} for one evaluation into a folder. */
public final class Reports {
  /** Gallery images shown per query. */
  public static final int TOP_K = 10;

  private Reports() {}

  /** Drawing needs no display: ask AWT for headless mode unless the application chose otherwise. */
  public static void headless() {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  public static void write(Path dir, String title, FeatureEvaluation fe, Evaluation e, int queries, Path imageRoot)
      throws IOException {
    headless();
    CmcChart.write(dir.resolve("cmc.png"), title, Map.of(title, e.metrics().cmc()));
    List<RankListReport.Row> rows = RankListReport.rows(fe.kernel(), fe.query().meta(), fe.gallery().meta(),
        fe.protocol().cameraRule(), e, queries, TOP_K);
    RankListReport.write(dir.resolve("ranklist.png"), dir.resolve("ranklist.csv"), rows, fe.query().meta(),
        fe.gallery().meta(), imageRoot);
  }
}
