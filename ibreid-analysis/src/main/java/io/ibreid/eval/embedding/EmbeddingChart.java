package io.ibreid.eval.embedding;

import io.ibreid.core.branch.View;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Scatter plots of a 2-D embedding of image features (t-SNE), as PNG bytes drawn with XChart (headless): one
 * coloured by identity with the marker giving the modality (circle visible, triangle infrared), one coloured by
 * modality. Axes carry no ticks: t-SNE coordinates have no units.
 */
public final class EmbeddingChart {
  /** One image on the map. */
  public record Point(double x, double y, int identity, View modality) {}

  /** Legend entries per identity are shown up to this many identities. */
  public static final int MAX_LEGEND_IDENTITIES = 12;

  /** Kelly's (1965) colours of maximum contrast, without white and black; then golden-angle hues. */
  private static final int[] PALETTE = {
      0x00538A, 0xC10020, 0x007D34, 0xFF6800, 0x803E75, 0xFFB300, 0xA6BDD7, 0x817066, 0xF6768E, 0x53377A,
      0xFF7A5C, 0x93AA00, 0xB32851, 0xCEA262, 0x7F180D, 0xF4C800, 0x593315, 0xF13A13, 0x232C16, 0xFF8E00};
  private static final Color VISIBLE = new Color(0x00538A);
  private static final Color INFRARED = new Color(0xC10020);
  private static final int ALPHA = 190;

  private EmbeddingChart() {}

  /** Colour {@code i} of a sequence of distinguishable colours. */
  public static Color colour(int i) {
    if (i < PALETTE.length) {
      return new Color(PALETTE[i]);
    }
    float hue = (float) ((i * 0.618033988749895) % 1.0);
    return Color.getHSBColor(hue, i % 2 == 0 ? 0.85f : 0.6f, i % 3 == 0 ? 0.65f : 0.9f);
  }

  /** Points coloured by identity (in increasing identity order), circles visible, triangles infrared. */
  public static byte[] byIdentity(List<Point> points, String title) throws IOException {
    XYChart chart = chart(title + " (by identity; circles visible, triangles infrared)", points.size());
    Map<Integer, Map<View, List<Point>>> groups = new TreeMap<>();
    for (Point p : points) {
      groups.computeIfAbsent(p.identity(), k -> new LinkedHashMap<>()).computeIfAbsent(p.modality(),
          k -> new ArrayList<>()).add(p);
    }
    boolean legend = groups.size() <= MAX_LEGEND_IDENTITIES;
    chart.getStyler().setLegendVisible(legend);
    int index = 0;
    for (Map.Entry<Integer, Map<View, List<Point>>> id : groups.entrySet()) {
      Color c = translucent(colour(index++));
      boolean named = false;
      for (View view : View.values()) {
        List<Point> ps = id.getValue().get(view);
        if (ps == null) {
          continue;
        }
        XYSeries s = add(chart, "id " + id.getKey() + " " + view.label(), ps, c, marker(view));
        s.setShowInLegend(legend && !named);
        if (!named) {
          s.setLabel("id " + id.getKey());
        }
        named = true;
      }
    }
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }

  /** Points coloured by modality. */
  public static byte[] byModality(List<Point> points, String title) throws IOException {
    XYChart chart = chart(title + " (by modality)", points.size());
    for (View view : View.values()) {
      List<Point> ps = points.stream().filter(p -> p.modality() == view).toList();
      if (!ps.isEmpty()) {
        add(chart, view.label(), ps, translucent(view == View.VISIBLE ? VISIBLE : INFRARED), marker(view));
      }
    }
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }

  private static XYChart chart(String title, int points) {
    XYChart chart = new XYChartBuilder().width(900).height(760).title(title).build();
    Styler s = chart.getStyler();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setAxisTicksVisible(false);
    chart.getStyler().setPlotGridLinesVisible(false);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setMarkerSize(points <= 500 ? 9 : points <= 2000 ? 7 : 5);
    return chart;
  }

  private static XYSeries add(XYChart chart, String name, List<Point> ps, Color colour, Marker marker) {
    double[] xs = ps.stream().mapToDouble(Point::x).toArray();
    double[] ys = ps.stream().mapToDouble(Point::y).toArray();
    XYSeries s = chart.addSeries(name, xs, ys);
    s.setMarker(marker);
    s.setMarkerColor(colour);
    return s;
  }

  private static Marker marker(View view) {
    return view == View.VISIBLE ? SeriesMarkers.CIRCLE : SeriesMarkers.TRIANGLE_UP;
  }

  private static Color translucent(Color c) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), ALPHA);
  }
}
