package io.ibreid.eval.report;

import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Grouped bar charts with symmetric error bars (e.g. R1 and mAP per variant, mean with its 95 % confidence
 * interval over seeds), PNG via XChart, headless.
 */
public final class BarChart {
  /**
   * One series: a value per category and the half-width of its error bar (null: no bars; a NaN half-width, e.g. of
   * a single seed, draws no bar).
   */
  public record Series(double[] y, double[] error) {}

  private BarChart() {}

  public static void write(Path png, String title, String yTitle, List<String> categories,
      Map<String, Series> series) throws IOException {
    Reports.headless();
    CategoryChart chart = new CategoryChartBuilder().width(Math.max(800, 90 * categories.size() + 200)).height(500)
        .title(title).xAxisTitle("").yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setErrorBarsColorSeriesColor(false);
    chart.getStyler().setErrorBarsColor(java.awt.Color.BLACK);
    chart.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 30 : 0);
    for (Map.Entry<String, Series> e : series.entrySet()) {
      Series s = e.getValue();
      if (s.y().length != categories.size() || (s.error() != null && s.error().length != categories.size())) {
        throw new IllegalArgumentException("series " + e.getKey() + " needs one value per category ("
            + categories.size() + ")");
      }
      List<Double> y = new ArrayList<>();
      List<Double> err = new ArrayList<>();
      for (int i = 0; i < s.y().length; i++) {
        y.add(s.y()[i]);
        err.add(s.error() == null || Double.isNaN(s.error()[i]) ? 0.0 : s.error()[i]);
      }
      if (s.error() == null) {
        chart.addSeries(e.getKey(), categories, y);
      } else {
        chart.addSeries(e.getKey(), categories, y, err);
      }
    }
    AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
  }
}
