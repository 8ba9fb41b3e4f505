package io.ibreid.data.synthetic;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.data.synthetic.Person.Carried;
import io.ibreid.data.synthetic.Person.Colours;
import io.ibreid.data.synthetic.Person.Heats;
import io.ibreid.data.synthetic.Person.Pattern;
import io.ibreid.data.synthetic.Person.Rgb;
import io.ibreid.data.synthetic.Person.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The factor file of a synthetic data set (generator version 2): {@code factors.csv} at the data set root, one row
 * per image with its path (relative to the root, '/'-separated), identity, camera and modality and every factor
 * the image was rendered from — the identity's shared shape factors, its colours and heat levels, and the image's
 * nuisance factors. Values are plain decimals; reading a row gives back the exact {@link Person} and {@link Shot},
 * so the image can be re-rendered pixel for pixel ({@link #render}). reid-data's README documents every column.
 */
public final class FactorFile {
  /** File name at the data set root. */
  public static final String NAME = "factors.csv";

  /** One image. */
  public record Row(String path, int pid, int camera, View modality, Person person, Shot shot) {}

  /** The columns, in file order. */
  public static final List<String> COLUMNS = List.of("path", "pid", "camera", "modality",
      "build", "torso_level", "body_height", "shoulder", "torso", "head", "leg", "sleeves", "trousers", "hair",
      "upper_pattern", "upper_period", "upper_phase", "lower_pattern", "lower_period", "lower_phase", "object",
      "object_size", "object_side",
      "colour_upper0_r", "colour_upper0_g", "colour_upper0_b", "colour_upper1_r", "colour_upper1_g",
      "colour_upper1_b", "colour_lower0_r", "colour_lower0_g", "colour_lower0_b", "colour_lower1_r",
      "colour_lower1_g", "colour_lower1_b", "colour_shoes_r", "colour_shoes_g", "colour_shoes_b", "colour_hair_r",
      "colour_hair_g", "colour_hair_b", "colour_skin_r", "colour_skin_g", "colour_skin_b", "colour_object_r",
      "colour_object_g", "colour_object_b",
      "heat_upper0", "heat_upper1", "heat_lower0", "heat_lower1", "heat_object",
      "stride", "facing", "swing", "scale", "offset_x", "offset_y", "place", "pan", "occluder", "occluder_start",
      "occluder_size", "occluder_colour", "gain", "cast_r", "cast_g", "cast_b", "thermal_offset", "blur", "noise",
      "noise_seed");

  /** The header line. */
  public static final String HEADER = String.join(",", COLUMNS);

  /** What a factor is for a probe: a class label or a real value (or several). */
  public enum Kind { CATEGORICAL, CONTINUOUS }

  /** Which part of the design a factor belongs to. */
  public enum Group {
    LABEL("label"), SHARED("shared"), VISIBLE("visible-only"), INFRARED("infrared-only"), NUISANCE("nuisance");

    private final String label;

    Group(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * A factor a probe predicts: its columns (one for a categorical factor, one or more for a continuous one), and the
   * images on which it can be seen — a visible-only factor on visible images, an infrared-only one on infrared
   * images, the object's colour and heat only where there is an object.
   *
   * @param name short name (the heat map's column)
   * @param identityLevel true when the factor is fixed per identity (a probe must then be scored on identities it
   *     was not fitted on)
   * @param seenIn the modality whose images show the factor; null = both
   * @param when which rows count (on the column values, indexed as in {@link #COLUMNS}); null = all
   * @param derive what a probe predicts from the columns' values (a continuous factor); null = the values
   */
  public record Factor(String name, Kind kind, Group group, boolean identityLevel, View seenIn,
      List<String> columns, Predicate<String[]> when, java.util.function.UnaryOperator<double[]> derive) {
    /** The values a probe predicts, from the columns' values. */
    public double[] target(double[] values) {
      return derive == null ? values : derive.apply(values);
    }

    public boolean categorical() {
      return kind == Kind.CATEGORICAL;
    }

    /** Whether an image of modality {@code m} whose row is {@code values} shows this factor. */
    public boolean applies(View m, String[] values) {
      return (seenIn == null || seenIn == m) && (when == null || when.test(values));
    }
  }

  private static final Predicate<String[]> HAS_OBJECT = v -> !v[COLUMNS.indexOf("object")].equals("none");

  /** Every factor a probe predicts, in the heat map's column order. */
  public static final List<Factor> FACTORS = List.of(
      cat("identity", Group.LABEL, true, null, "pid"),
      cat("modality", Group.LABEL, false, null, "modality"),
      cat("camera", Group.LABEL, false, null, "camera"),
      cat("build", Group.SHARED, true, null, "build"),
      cat("torso", Group.SHARED, true, null, "torso_level"),
      cont("height", Group.SHARED, true, null, null, "body_height"),
      cat("sleeves", Group.SHARED, true, null, "sleeves"),
      cat("trousers", Group.SHARED, true, null, "trousers"),
      cat("hair", Group.SHARED, true, null, "hair"),
      cat("upper pattern", Group.SHARED, true, null, "upper_pattern"),
      cat("upper period", Group.SHARED, true, null, "upper_period"),
      cat("lower pattern", Group.SHARED, true, null, "lower_period"),
      cat("object", Group.SHARED, true, null, "object"),
      mean("upper colour", Group.VISIBLE, View.VISIBLE, 3, "colour_upper0_r", "colour_upper0_g",
          "colour_upper0_b", "colour_upper1_r", "colour_upper1_g", "colour_upper1_b"),
      mean("lower colour", Group.VISIBLE, View.VISIBLE, 3, "colour_lower0_r", "colour_lower0_g",
          "colour_lower0_b", "colour_lower1_r", "colour_lower1_g", "colour_lower1_b"),
      cont("skin, hair, shoes colour", Group.VISIBLE, true, View.VISIBLE, null, "colour_skin_r", "colour_skin_g",
          "colour_skin_b", "colour_hair_r", "colour_hair_g", "colour_hair_b", "colour_shoes_r", "colour_shoes_g",
          "colour_shoes_b"),
      cont("object colour", Group.VISIBLE, true, View.VISIBLE, HAS_OBJECT, "colour_object_r", "colour_object_g",
          "colour_object_b"),
      mean("upper heat", Group.INFRARED, View.INFRARED, 1, "heat_upper0", "heat_upper1"),
      mean("lower heat", Group.INFRARED, View.INFRARED, 1, "heat_lower0", "heat_lower1"),
      cont("object heat", Group.INFRARED, true, View.INFRARED, HAS_OBJECT, "heat_object"),
      cont("stride", Group.NUISANCE, false, null, null, "stride"),
      cat("facing", Group.NUISANCE, false, null, "facing"),
      cont("arm swing", Group.NUISANCE, false, null, null, "swing"),
      cont("scale", Group.NUISANCE, false, null, null, "scale"),
      cont("offset", Group.NUISANCE, false, null, null, "offset_x", "offset_y"),
      cat("background", Group.NUISANCE, false, null, "place"),
      cont("pan", Group.NUISANCE, false, null, null, "pan"),
      cat("occluder", Group.NUISANCE, false, null, "occluder"),
      cont("illumination", Group.NUISANCE, false, View.VISIBLE, null, "gain"),
      cont("colour cast", Group.NUISANCE, false, View.VISIBLE, null, "cast_r", "cast_g", "cast_b"),
      cont("thermal gain, offset", Group.NUISANCE, false, View.INFRARED, null, "gain", "thermal_offset"),
      cat("blur", Group.NUISANCE, false, null, "blur"),
      cont("noise", Group.NUISANCE, false, null, null, "noise"));

  private static Factor cat(String name, Group group, boolean identity, View seen, String column) {
    return new Factor(name, Kind.CATEGORICAL, group, identity, seen, List.of(column), null, null);
  }

  private static Factor cont(String name, Group group, boolean identity, View seen, Predicate<String[]> when,
      String... columns) {
    return new Factor(name, Kind.CONTINUOUS, group, identity, seen, List.of(columns), when, null);
  }

  /**
   * A garment's two tones, averaged: which tone is "0" depends on the pattern's phase, so a probe predicts the
   * garment's mean colour (or heat), which does not.
   */
  private static Factor mean(String name, Group group, View seen, int width, String... columns) {
    return new Factor(name, Kind.CONTINUOUS, group, true, seen, List.of(columns), null, v -> {
      double[] out = new double[width];
      for (int k = 0; k < width; k++) {
        out[k] = (v[k] + v[width + k]) / 2;
      }
      return out;
    });
  }

  private FactorFile() {}

  /** The CSV line of {@code row} (without the line break). */
  public static String line(Row row) {
    Shape s = row.person().shape();
    Colours c = row.person().colours();
    Heats h = row.person().heats();
    Shot t = row.shot();
    List<String> v = new ArrayList<>(COLUMNS.size());
    v.add(row.path());
    v.add(Integer.toString(row.pid()));
    v.add(Integer.toString(row.camera()));
    v.add(row.modality().label());
    v.add(Integer.toString(s.build()));
    v.add(Integer.toString(s.torsoLevel()));
    add(v, s.height(), s.shoulder(), s.torso(), s.head(), s.leg());
    v.add(s.longSleeves() ? "long" : "short");
    v.add(s.longTrousers() ? "long" : "short");
    v.add(s.longHair() ? "long" : "short");
    v.add(s.upperPattern().label());
    add(v, s.upperPeriod(), s.upperPhase());
    v.add(s.lowerPattern().label());
    add(v, s.lowerPeriod(), s.lowerPhase());
    v.add(s.carried().label());
    add(v, s.objectSize());
    v.add(Integer.toString(s.objectSide()));
    for (Rgb rgb : List.of(c.upper0(), c.upper1(), c.lower0(), c.lower1(), c.shoes(), c.hair(), c.skin(),
        c.object())) {
      add(v, rgb.r(), rgb.g(), rgb.b());
    }
    add(v, h.upper0(), h.upper1(), h.lower0(), h.lower1(), h.object());
    add(v, t.stride());
    v.add(Integer.toString(t.facing()));
    add(v, t.swing(), t.scale(), t.offsetX(), t.offsetY());
    v.add(Integer.toString(t.place()));
    add(v, t.pan());
    v.add(t.occluder());
    add(v, t.occluderStart(), t.occluderSize());
    v.add(Integer.toString(t.occluderColour()));
    add(v, t.gain(), t.castR(), t.castG(), t.castB(), t.thermalOffset());
    v.add(Integer.toString(t.blur()));
    add(v, t.noise());
    v.add(Long.toString(t.noiseSeed()));
    return String.join(",", v);
  }

  private static void add(List<String> out, double... values) {
    for (double d : values) {
      out.add(decimal(d));
    }
  }

  /** The shortest plain decimal that parses back to {@code d}. */
  static String decimal(double d) {
    if (d == 0) {
      return "0";
    }
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** Parses a line written by {@link #line}; {@code where} names it in errors. */
  public static Row parse(String line, String where) {
    String[] v = line.split(",", -1);
    if (v.length != COLUMNS.size()) {
      throw new IbreidException(where + " has " + v.length + " values; expected " + COLUMNS.size()
          + " (the factor file's columns)");
    }
    try {
      int[] k = {4};
      Shape shape = new Shape(Integer.parseInt(v[k[0]++]), Integer.parseInt(v[k[0]++]), d(v, k), d(v, k), d(v, k),
          d(v, k), d(v, k), bool(v[k[0]++]), bool(v[k[0]++]), bool(v[k[0]++]), Pattern.parse(v[k[0]++]), d(v, k),
          d(v, k), Pattern.parse(v[k[0]++]), d(v, k), d(v, k), Carried.parse(v[k[0]++]), d(v, k),
          Integer.parseInt(v[k[0]++]));
      Rgb[] rgb = new Rgb[8];
      for (int i = 0; i < 8; i++) {
        rgb[i] = new Rgb(d(v, k), d(v, k), d(v, k));
      }
      Colours colours = new Colours(rgb[0], rgb[1], rgb[2], rgb[3], rgb[4], rgb[5], rgb[6], rgb[7]);
      Heats heats = new Heats(d(v, k), d(v, k), d(v, k), d(v, k), d(v, k));
      int pid = Integer.parseInt(v[1]);
      Shot shot = new Shot(d(v, k), Integer.parseInt(v[k[0]++]), d(v, k), d(v, k), d(v, k), d(v, k),
          Integer.parseInt(v[k[0]++]), d(v, k), occluder(v[k[0]++]), d(v, k), d(v, k), Integer.parseInt(v[k[0]++]),
          d(v, k), d(v, k), d(v, k), d(v, k), d(v, k), Integer.parseInt(v[k[0]++]), d(v, k),
          Long.parseLong(v[k[0]++]));
      View modality = View.fromLabel(v[3]);
      if (modality == null) {
        throw new IllegalArgumentException("modality '" + v[3] + "' is not visible or infrared");
      }
      return new Row(v[0], pid, Integer.parseInt(v[2]), modality, new Person(pid, shape, colours, heats), shot);
    } catch (IllegalArgumentException e) {
      throw new IbreidException(where + " is malformed: " + e.getMessage());
    }
  }

  private static double d(String[] v, int[] k) {
    return Double.parseDouble(v[k[0]++]);
  }

  private static boolean bool(String s) {
    return switch (s) {
      case "long" -> true;
      case "short" -> false;
      default -> throw new IllegalArgumentException("'" + s + "' is not long or short");
    };
  }

  private static String occluder(String s) {
    if (!s.equals(Shot.NONE) && !s.equals(Shot.BAR) && !s.equals(Shot.POST)) {
      throw new IllegalArgumentException("occluder '" + s + "' is not none, bar or post");
    }
    return s;
  }

  /** The whole file: the header line, then one line per row. */
  public static String text(List<Row> rows) {
    StringBuilder sb = new StringBuilder(rows.size() * 600);
    sb.append(HEADER).append('\n');
    for (Row r : rows) {
      sb.append(line(r)).append('\n');
    }
    return sb.toString();
  }

  /** Reads {@code root/factors.csv}; a missing file, another header or a malformed line is an error naming it. */
  public static List<Row> read(Path root) {
    Path file = root.resolve(NAME);
    if (!Files.isRegularFile(file)) {
      throw new IbreidException("synthetic data set " + root + " has no factor file " + NAME);
    }
    List<Row> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null || !header.equals(HEADER)) {
        throw new IbreidException("factor file " + file + " does not start with the version-2 header (" + COLUMNS
            .get(0) + "," + COLUMNS.get(1) + ",...," + COLUMNS.get(COLUMNS.size() - 1) + ")");
      }
      String line;
      int n = 1;
      while ((line = in.readLine()) != null) {
        n++;
        if (!line.isEmpty()) {
          rows.add(parse(line, "factor file " + file + " line " + n));
        }
      }
    } catch (IOException e) {
      throw new IbreidException("cannot read factor file " + file + ": " + e.getMessage());
    }
    return rows;
  }

  /** Whether {@code root} holds a factor file. */
  public static boolean exists(Path root) {
    return Files.isRegularFile(root.resolve(NAME));
  }

  /** Re-renders the image of {@code row} from its factors, for the data set with generator seed {@code seed}. */
  public static io.ibreid.data.image.FloatImage render(Row row, long seed, int height, int width) {
    return Renderer.render(row.person(), row.shot(), Scene.draw(seed, row.shot().place()), row.modality(), height,
        width);
  }

  /** The column values of a line, for {@link Factor#applies}. */
  public static String[] values(String line) {
    return line.split(",", -1);
  }
}
