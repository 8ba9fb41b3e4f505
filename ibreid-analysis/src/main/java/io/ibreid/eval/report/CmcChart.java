package io.ibreid.eval.report;

import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** CMC curves (ranks 1..20, percent) as a PNG drawn with XChart; works on headless machines. */
public final class CmcChart {
  private CmcChart() {}

  /** One curve per entry; values are fractions (as in {@code RankingMetrics.cmc()}). */
  public static void write(Path png, String title, Map<String, double[]> curves) throws IOException {
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("rank")
        .yAxisTitle("matching rate (%)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    for (Map.Entry<String, double[]> e : curves.entrySet()) {
      double[] y = e.getValue();
      double[] xs = IntStream.rangeClosed(1, y.length).asDoubleStream().toArray();
      double[] ys = new double[y.length];
      for (int i = 0; i < y.length; i++) {
        ys[i] = 100 * y[i];
      }
      chart.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
    }
    AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
  }
}
