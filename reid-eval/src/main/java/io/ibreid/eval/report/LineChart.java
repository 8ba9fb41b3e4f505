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

/** Line plots with error bars (e.g. R1 and mAP against z-dim, mean ± std over seeds), PNG via XChart, headless. */
public final class LineChart {
  /** One series: x values, y values and the half-width of each error bar (may be null). */
  public record Series(double[] x, double[] y, double[] error) {}

  private LineChart() {}

  public static void write(Path png, String title, String xTitle, String yTitle, boolean logX,
      Map<String, Series> series) throws IOException {
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setXAxisDecimalPattern("0");
    for (Map.Entry<String, Series> e : series.entrySet()) {
      Series s = e.getValue();
      (s.error() == null ? chart.addSeries(e.getKey(), s.x(), s.y())
          : chart.addSeries(e.getKey(), s.x(), s.y(), s.error())).setMarker(SeriesMarkers.CIRCLE);
    }
    AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
  }
}
