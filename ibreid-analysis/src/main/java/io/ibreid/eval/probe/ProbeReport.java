package io.ibreid.eval.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ibreid.core.branch.View;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The probe results as {@code probe.md} (a table: one line per factor, one column per feature), {@code probe.json}
 * (every score with its chance level, regularisation strength and counts) and {@code probe.png} (a heat map: rows
 * = features, columns = factors, colour = how far above chance: (accuracy - chance) / (1 - chance) for categorical
 * factors, R² clipped at 0 for continuous ones; the number in a cell is the accuracy in percent or the R²).
 */
public final class ProbeReport {
  /** Context printed with the numbers. */
  public record Context(String run, String checkpoint, String dataset, int images, int identities,
      boolean factorFile) {}

  private ProbeReport() {}

  /** The Markdown report. */
  public static String markdown(Probes.Result r, Context c) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Linear probes: what each feature keeps\n\n");
    sb.append(String.format(Locale.ROOT, "Run `%s`, checkpoint `%s`; data set `%s`: %d test images of %d "
        + "identities (never seen in training).%n", c.run(), c.checkpoint(), c.dataset(), c.images(),
        c.identities()));
    sb.append(c.factorFile() ? "Factors from the data set's factor file (factors.csv).\n"
        : "No factor file: identity, modality and camera only (what the layout gives).\n");
    sb.append(String.format(Locale.ROOT, "Each probe is fitted on half of the identities and scored on the other "
        + "half (identity: on half of each identity's images, scored on the rest); seed %d. Categorical factors: "
        + "held-out accuracy in %% (multinomial logistic regression); continuous ones: held-out R² (ridge). "
        + "Chance: always answering the fitting part's most frequent class.%n%n", r.seed()));
    List<String> names = r.features().stream().map(Probes.Feature::name).toList();
    sb.append("| factor | group | chance |");
    for (Probes.Feature f : r.features()) {
      sb.append(' ').append(f.name()).append(modalityNote(f)).append(" |");
    }
    sb.append("\n|---|---|---:|");
    sb.append("---:|".repeat(names.size()));
    sb.append('\n');
    for (FactorTable.Column col : r.factors()) {
      LinearProbe.Score reference = null;
      for (String n : names) {
        LinearProbe.Score s = r.scores().get(n).get(col.name());
        if (s != null) {
          reference = s;
          break;
        }
      }
      if (reference == null) {
        continue;
      }
      boolean cat = col.categorical();
      sb.append("| ").append(col.name()).append(cat ? "" : " (R²)").append(" | ").append(col.group()).append(" | ")
          .append(cat ? String.format(Locale.ROOT, "%.1f", 100 * reference.chance()) : "0").append(" |");
      for (String n : names) {
        LinearProbe.Score s = r.scores().get(n).get(col.name());
        if (s == null) {
          sb.append(" – |");
        } else {
          sb.append(' ').append(s.text());
          if (cat && Math.abs(s.chance() - reference.chance()) > 5e-4) {
            sb.append(String.format(Locale.ROOT, " (%.1f)", 100 * s.chance()));
          }
          sb.append(" |");
        }
      }
      sb.append('\n');
    }
    sb.append("\nA number in parentheses is that feature's own chance level where it differs (a feature computed "
        + "for one modality's images); – = not probed (the feature's images do not show the factor).\n");
    return sb.toString();
  }

  private static String modalityNote(Probes.Feature f) {
    return f.modalities().size() == View.values().length ? "" : " (" + f.modalities().get(0).label() + ")";
  }

  /** The JSON report (keys in a fixed order; numbers rounded to 6 decimals). */
  public static String json(Probes.Result r, Context c) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("run", c.run());
    root.put("checkpoint", c.checkpoint());
    root.put("dataset", c.dataset());
    root.put("factorFile", c.factorFile());
    root.put("images", c.images());
    root.put("identities", c.identities());
    root.put("seed", r.seed());
    root.put("split", "fit on half of the identities, score on the others; identity: half of each identity's "
        + "images of each modality");
    List<Object> features = new ArrayList<>();
    for (Probes.Feature f : r.features()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", f.name());
      m.put("modalities", f.modalities().stream().map(View::label).toList());
      m.put("dim", f.features().dim());
      m.put("images", f.features().rows());
      features.add(m);
    }
    root.put("features", features);
    List<Object> factors = new ArrayList<>();
    for (FactorTable.Column col : r.factors()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", col.name());
      m.put("group", col.group());
      m.put("kind", col.categorical() ? "categorical" : "continuous");
      m.put("identityLevel", col.identityLevel());
      if (col.categorical()) {
        m.put("classes", col.classes());
      } else {
        m.put("outputs", col.outputs());
      }
      factors.add(m);
    }
    root.put("factors", factors);
    Map<String, Object> scores = new LinkedHashMap<>();
    for (Probes.Feature f : r.features()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (Map.Entry<String, LinearProbe.Score> e : r.scores().get(f.name()).entrySet()) {
        LinearProbe.Score s = e.getValue();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", s.metric());
        m.put("value", round(s.value()));
        m.put("chance", round(s.chance()));
        m.put("normalised", round(s.normalised()));
        m.put("lambda", s.lambda());
        m.put("fitImages", s.fitImages());
        m.put("scoredImages", s.scoredImages());
        m.put(s.metric().equals("r2") ? "outputs" : "classes", s.classes());
        row.put(e.getKey(), m);
      }
      scores.put(f.name(), row);
    }
    root.put("scores", scores);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BigDecimal round(double v) {
    if (!Double.isFinite(v)) {
      return BigDecimal.valueOf(-1e9);
    }
    return BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
  }

  /** The heat map as PNG bytes. */
  public static byte[] heatMap(Probes.Result r, String title) {
    List<FactorTable.Column> cols = new ArrayList<>();
    for (FactorTable.Column col : r.factors()) {
      if (r.scores().values().stream().anyMatch(m -> m.containsKey(col.name()))) {
        cols.add(col);
      }
    }
    List<Probes.Feature> rows = r.features();
    int cellW = 44;
    int cellH = 26;
    int left = 170;
    int top = 190;
    int width = left + cols.size() * cellW + 20;
    int height = top + rows.size() * cellH + 70;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, 10, 20);
    Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    g.setFont(small);
    FontMetrics fm = g.getFontMetrics();
    // column labels, rotated, with the group above
    String lastGroup = null;
    for (int j = 0; j < cols.size(); j++) {
      FactorTable.Column col = cols.get(j);
      int x = left + j * cellW;
      if (!col.group().equals(lastGroup)) {
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(x, 34, x, top + rows.size() * cellH);
        g.drawString(col.group(), x + 3, 46);
        lastGroup = col.group();
      }
      AffineTransform saved = g.getTransform();
      g.translate(x + cellW / 2 + 4, top - 6);
      g.rotate(-Math.PI / 2.6);
      g.setColor(Color.BLACK);
      g.drawString(col.name() + (col.categorical() ? "" : " (R²)"), 0, 0);
      g.setTransform(saved);
    }
    for (int i = 0; i < rows.size(); i++) {
      Probes.Feature f = rows.get(i);
      int y = top + i * cellH;
      g.setColor(Color.BLACK);
      String label = f.name() + modalityNote(f);
      g.drawString(label, left - 8 - fm.stringWidth(label), y + cellH / 2 + fm.getAscent() / 2 - 1);
      for (int j = 0; j < cols.size(); j++) {
        int x = left + j * cellW;
        LinearProbe.Score s = r.scores().get(f.name()).get(cols.get(j).name());
        if (s == null) {
          g.setColor(new Color(235, 235, 235));
          g.fillRect(x, y, cellW, cellH);
          continue;
        }
        double v = s.normalised();
        Color c = shade(v);
        g.setColor(c);
        g.fillRect(x, y, cellW, cellH);
        g.setColor(v > 0.55 ? Color.WHITE : Color.BLACK);
        String text = s.text();
        g.drawString(text, x + (cellW - fm.stringWidth(text)) / 2, y + cellH / 2 + fm.getAscent() / 2 - 1);
      }
    }
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(left, top, cols.size() * cellW, rows.size() * cellH);
    // legend
    int ly = top + rows.size() * cellH + 18;
    g.setColor(Color.BLACK);
    g.drawString("colour: 0 = chance (categorical) or R² <= 0, 1 = perfect; numbers: accuracy % or R²", left, ly + 30);
    for (int k = 0; k <= 20; k++) {
      g.setColor(shade(k / 20.0));
      g.fillRect(left + k * 12, ly, 12, 12);
    }
    g.setColor(Color.BLACK);
    g.drawString("0", left - 10, ly + 10);
    g.drawString("1", left + 21 * 12 + 3, ly + 10);
    g.dispose();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** White at 0 to dark blue at 1. */
  static Color shade(double v) {
    double t = Math.max(0, Math.min(1, v));
    int r = (int) Math.round(255 + t * (8 - 255));
    int gr = (int) Math.round(255 + t * (48 - 255));
    int b = (int) Math.round(255 + t * (107 - 255));
    return new Color(r, gr, b);
  }
}
