package io.ibreid.eval.report;

import io.ibreid.core.io.AtomicFiles;
import io.ibreid.eval.distance.DistanceKernel;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.ranking.CameraRule;
import io.ibreid.eval.ranking.Evaluation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * The ranked lists of the worst queries: one row per query (lowest AP first; ties: later CMC position under the
 * evaluation's convention, then query index), the query image followed by its top-k gallery images (after the camera rule), each framed green for a
 * true match and red otherwise. A CSV next to the PNG names every image shown. Images that cannot be read are drawn
 * as grey tiles; the report never fails because of them.
 */
public final class RankListReport {
  static final int TILE_W = 64;
  static final int TILE_H = 128;
  static final int BORDER = 4;
  static final int GAP = 6;
  static final int CAPTION = 16;

  /** One shown gallery image. */
  public record Entry(int rank, int galleryIndex, float distance, boolean match) {}

  /** One row of the report. */
  public record Row(int queryIndex, double ap, List<Entry> entries) {}

  private RankListReport() {}

  /** The report rows: the {@code queries} worst valid queries and their top {@code topK} kept gallery images. */
  public static List<Row> rows(DistanceKernel kernel, List<ImageMeta> query, List<ImageMeta> gallery, CameraRule rule,
      Evaluation evaluation, int queries, int topK) {
    int n = gallery.size();
    List<Integer> order = IntStream.range(0, query.size()).filter(i -> !evaluation.skipped(i)).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> evaluation.ap()[i])
            .thenComparing(i -> -evaluation.rank(i)).thenComparing(i -> i))
        .limit(Math.max(0, queries)).toList();
    float[] row = new float[n];
    List<Row> rows = new ArrayList<>();
    for (int q : order) {
      kernel.distances(q, 1, row);
      ImageMeta qm = query.get(q);
      int[] best = new int[Math.min(topK, n)];
      int size = 0;
      for (int j = 0; j < n; j++) {
        if (rule.removes(qm.camid(), gallery.get(j).camid())) {
          continue;
        }
        if (size == best.length && !(row[j] < row[best[size - 1]])) {
          continue;
        }
        int pos = size == best.length ? size - 1 : size++;
        while (pos > 0 && row[best[pos - 1]] > row[j]) {
          best[pos] = best[pos - 1];
          pos--;
        }
        best[pos] = j;
      }
      List<Entry> entries = new ArrayList<>();
      for (int r = 0; r < size; r++) {
        int j = best[r];
        entries.add(new Entry(r + 1, j, row[j], gallery.get(j).pid() == qm.pid()));
      }
      rows.add(new Row(q, evaluation.ap()[q], entries));
    }
    return rows;
  }

  /** Writes the PNG grid and, next to it, the CSV (same name, {@code .csv}). */
  public static void write(Path png, Path csv, List<Row> rows, List<ImageMeta> query, List<ImageMeta> gallery,
      Path imageRoot) throws IOException {
    int cols = 1 + rows.stream().mapToInt(r -> r.entries().size()).max().orElse(0);
    int cellW = TILE_W + 2 * BORDER + GAP;
    int cellH = TILE_H + 2 * BORDER + CAPTION + GAP;
    BufferedImage img = new BufferedImage(Math.max(1, cols * cellW + GAP + cellW / 2),
        Math.max(1, rows.size() * cellH + GAP), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    StringBuilder text = new StringBuilder("row,query_index,query_path,query_pid,query_camid,ap,rank,gallery_index,"
        + "gallery_path,gallery_pid,gallery_camid,match,distance\n");
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      ImageMeta qm = query.get(row.queryIndex());
      int y = GAP + r * cellH;
      tile(g, imageRoot, qm.path(), GAP, y, new Color(60, 60, 60));
      caption(g, String.format(Locale.ROOT, "AP %.1f%%", 100 * row.ap()), GAP, y);
      for (Entry e : row.entries()) {
        ImageMeta gm = gallery.get(e.galleryIndex());
        int x = GAP + cellW / 2 + e.rank() * cellW;
        tile(g, imageRoot, gm.path(), x, y, e.match() ? new Color(0, 170, 0) : new Color(220, 0, 0));
        caption(g, Integer.toString(e.rank()), x, y);
        text.append(r + 1).append(',').append(row.queryIndex()).append(',').append(csvField(qm.path())).append(',')
            .append(qm.pid()).append(',').append(qm.camid()).append(',')
            .append(String.format(Locale.ROOT, "%.6f", row.ap())).append(',').append(e.rank()).append(',')
            .append(e.galleryIndex()).append(',').append(csvField(gm.path())).append(',').append(gm.pid())
            .append(',').append(gm.camid()).append(',').append(e.match()).append(',')
            .append(String.format(Locale.ROOT, "%.6f", e.distance())).append('\n');
      }
    }
    g.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "png", bytes);
    AtomicFiles.write(png, bytes.toByteArray());
    AtomicFiles.writeString(csv, text.toString());
  }

  private static void tile(Graphics2D g, Path root, String path, int x, int y, Color frame) {
    g.setColor(frame);
    g.fillRect(x, y, TILE_W + 2 * BORDER, TILE_H + 2 * BORDER);
    BufferedImage im = read(root, path);
    if (im == null) {
      g.setColor(new Color(200, 200, 200));
      g.fillRect(x + BORDER, y + BORDER, TILE_W, TILE_H);
      g.setColor(Color.DARK_GRAY);
      g.drawString("?", x + BORDER + TILE_W / 2 - 3, y + BORDER + TILE_H / 2);
    } else {
      g.drawImage(im, x + BORDER, y + BORDER, TILE_W, TILE_H, null);
    }
    g.setStroke(new BasicStroke(1));
  }

  private static void caption(Graphics2D g, String s, int x, int y) {
    g.setColor(Color.BLACK);
    g.drawString(s, x + 2, y + TILE_H + 2 * BORDER + CAPTION - 4);
  }

  private static BufferedImage read(Path root, String path) {
    try {
      Path p = root.resolve(path);
      return Files.isRegularFile(p) ? ImageIO.read(p.toFile()) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static String csvField(String s) {
    return s.indexOf(',') < 0 && s.indexOf('"') < 0 ? s : '"' + s.replace("\"", "\"\"") + '"';
  }
}
