package io.ibreid.eval.report;

import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line plots with error bars (e.g. R1 and mAP against z-dim, the mean with the half-width of its 95 % confidence
 * interval over seeds), PNG via XChart, headless. A NaN half-width (one seed) draws no bar.
 */
public final class LineChart {
  /** One series: x values, y values and the half-width of each error bar (may be null). */
  public record Series(double[] x, double[] y, double[] error) {}

  private LineChart() {}

  public static void write(Path png, String title, String xTitle, String yTitle, boolean logX,
      Map<String, Series> series) throws IOException {
    Reports.headless();
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setXAxisDecimalPattern("0");
    for (Map.Entry<String, Series> e : series.entrySet()) {
      Series s = e.getValue();
      double[] error = s.error() == null ? null : s.error().clone();
      if (error != null) {
        for (int i = 0; i < error.length; i++) {
          if (Double.isNaN(error[i])) {
            error[i] = 0; // no interval (one seed): no bar
          }
        }
      }
      (error == null ? chart.addSeries(e.getKey(), s.x(), s.y())
          : chart.addSeries(e.getKey(), s.x(), s.y(), error)).setMarker(SeriesMarkers.CIRCLE);
    }
    AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
  }
}
