package io.ibreid.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bar and line charts with confidence-interval bars write readable PNGs, also with NaN (one-seed) bars. */
class ErrorBarChartsTest {
  @Test
  void barsWithIntervals(@TempDir Path dir) throws Exception {
    Map<String, BarChart.Series> series = new LinkedHashMap<>();
    series.put("R1", new BarChart.Series(new double[] {25.1, 27.3, 30.0}, new double[] {1.2, Double.NaN, 2.0}));
    series.put("mAP", new BarChart.Series(new double[] {30.2, 31.0, 33.3}, new double[] {0.8, 0.9, 1.1}));
    Path png = dir.resolve("ablation.png");
    BarChart.write(png, "SYSU all-search", "%", List.of("baseline-ce", "ib", "full"), series);
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isGreaterThanOrEqualTo(800);
    assertThat(img.getHeight()).isEqualTo(500);
    assertThatThrownBy(() -> BarChart.write(dir.resolve("x.png"), "t", "%", List.of("a"), series))
        .hasMessageContaining("one value per category");
  }

  @Test
  void linesWithIntervals(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("zdim.png");
    LineChart.write(png, "z-dim", "z-dim", "%", true, Map.of("R1", new LineChart.Series(new double[] {8, 16, 32},
        new double[] {20, 22, 21}, new double[] {1, Double.NaN, 2})));
    assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(800);
  }
}
