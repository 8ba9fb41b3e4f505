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
    write(png, title, xTitle, yTitle, logX, false, series);
  }

  /**
   * As {@link #write(Path, String, String, String, boolean, Map)}, with a logarithmic y axis when {@code logY} (then
   * values that are not positive are left out of their series, and no markers are drawn: curves over training).
   */
  public static void write(Path png, String title, String xTitle, String yTitle, boolean logX, boolean logY,
      Map<String, Series> series) throws IOException {
    Reports.headless();
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setXAxisDecimalPattern("0");
    for (Map.Entry<String, Series> e : series.entrySet()) {
      Series s = logY ? positive(e.getValue()) : e.getValue();
      if (s.x().length == 0) {
        continue;
      }
      if (logY) {
        chart.addSeries(e.getKey(), s.x(), s.y()).setMarker(SeriesMarkers.NONE);
        continue;
      }
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

  /** The points of a series whose y is a positive finite number (a log axis cannot show the others). */
  private static Series positive(Series s) {
    int n = 0;
    for (double y : s.y()) {
      n += y > 0 && Double.isFinite(y) ? 1 : 0;
    }
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0, j = 0; i < s.y().length; i++) {
      if (s.y()[i] > 0 && Double.isFinite(s.y()[i])) {
        x[j] = s.x()[i];
        y[j++] = s.y()[i];
      }
    }
    return new Series(x, y, null);
  }
}
