package io.ibreid.eval.probe;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.synthetic.FactorFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a probe predicts, image by image: for each factor, a class (categorical factors) or one or more real values
 * (continuous factors), or nothing where the image does not show the factor (a colour on an infrared image, the
 * object's colour where there is no object). Read from a synthetic data set's factor file ({@link FactorFile}), or,
 * for a data set without one, the three factors every layout gives: identity, modality and camera.
 */
public final class FactorTable {
  /** One factor over the table's images. */
  public record Column(String name, String group, boolean categorical, boolean identityLevel, List<String> classes,
      int[] labels, double[][] values) {
    /** Whether image {@code i} shows the factor. */
    public boolean applies(int i) {
      return categorical ? labels[i] >= 0 : values[i] != null;
    }

    /** Number of outputs: 1 for a categorical factor, the number of values for a continuous one. */
    public int outputs() {
      if (categorical) {
        return 1;
      }
      for (double[] v : values) {
        if (v != null) {
          return v.length;
        }
      }
      return 0;
    }
  }

  private final List<ImageRecord> images;
  private final List<Column> columns;
  private final boolean fromFactorFile;

  private FactorTable(List<ImageRecord> images, List<Column> columns, boolean fromFactorFile) {
    this.images = List.copyOf(images);
    this.columns = List.copyOf(columns);
    this.fromFactorFile = fromFactorFile;
  }

  public List<ImageRecord> images() {
    return images;
  }

  public List<Column> columns() {
    return columns;
  }

  /** True when the factors come from a factor file, false when only identity, modality and camera are known. */
  public boolean fromFactorFile() {
    return fromFactorFile;
  }

  /** Identity, modality and camera of each image, as the data set's layout gives them. */
  public static FactorTable fromLayout(List<ImageRecord> images) {
    List<String[]> rows = new ArrayList<>();
    for (ImageRecord r : images) {
      rows.add(new String[] {Integer.toString(r.pid()), r.modality().label(), Integer.toString(r.camera())});
    }
    List<Column> cols = new ArrayList<>();
    cols.add(categorical("identity", "label", true, rows, 0, null, images));
    cols.add(categorical("modality", "label", false, rows, 1, null, images));
    cols.add(categorical("camera", "label", false, rows, 2, null, images));
    return new FactorTable(images, cols, false);
  }

  /**
   * Every factor of {@link FactorFile#FACTORS} for {@code images}, read from the factor file at {@code root}. Each
   * image must have a row whose camera and modality (and, when {@code checkIdentity}, identity) agree with the
   * layout; otherwise the factor file does not describe these images and this fails with one line.
   *
   * @param checkIdentity whether the layout's identity is the factor file's (SYSU-MM01 layout; RegDB lists number
   *     the identities of each split from 0)
   */
  public static FactorTable fromFactorFile(List<ImageRecord> images, Path root, boolean checkIdentity) {
    Path file = root.resolve(FactorFile.NAME);
    Map<String, String[]> byPath = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null || !header.equals(FactorFile.HEADER)) {
        throw new IbreidException("factor file " + file + " does not have the columns of generator version 2 "
            + "(reid-data/README.md lists them)");
      }
      String line;
      int n = 1;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isEmpty()) {
          continue;
        }
        String[] v = FactorFile.values(line);
        if (v.length != FactorFile.COLUMNS.size()) {
          throw new IbreidException("factor file " + file + " line " + n + " has " + v.length + " values; "
              + "expected " + FactorFile.COLUMNS.size());
        }
        byPath.put(v[0], v);
      }
    } catch (IOException e) {
      throw new IbreidException("cannot read factor file " + file + ": " + e.getMessage());
    }
    Path base = root.toAbsolutePath().normalize();
    int pidCol = FactorFile.COLUMNS.indexOf("pid");
    int camCol = FactorFile.COLUMNS.indexOf("camera");
    int modCol = FactorFile.COLUMNS.indexOf("modality");
    List<String[]> rows = new ArrayList<>(images.size());
    for (ImageRecord r : images) {
      String rel = base.relativize(r.path().toAbsolutePath().normalize()).toString().replace('\\', '/');
      String[] v = byPath.get(rel);
      if (v == null) {
        throw new IbreidException("factor file " + file + " does not match the data set: it has no row for "
            + r.path());
      }
      if (!v[camCol].equals(Integer.toString(r.camera())) || !v[modCol].equals(r.modality().label())
          || checkIdentity && !v[pidCol].equals(Integer.toString(r.pid()))) {
        throw new IbreidException("factor file " + file + " does not match the data set: its row for " + rel
            + " says identity " + v[pidCol] + ", camera " + v[camCol] + ", " + v[modCol] + "; the layout says "
            + (checkIdentity ? "identity " + r.pid() + ", " : "") + "camera " + r.camera() + ", "
            + r.modality().label());
      }
      rows.add(v);
    }
    List<Column> cols = new ArrayList<>();
    for (FactorFile.Factor f : FactorFile.FACTORS) {
      String group = f.group().label();
      if (f.name().equals("identity")) { // the layout's identity: the groups a split keeps together
        List<String[]> ids = new ArrayList<>();
        for (ImageRecord r : images) {
          ids.add(new String[] {Integer.toString(r.pid())});
        }
        cols.add(categorical("identity", group, true, ids, 0, null, images));
        continue;
      }
      if (f.categorical()) {
        cols.add(categorical(f.name(), group, f.identityLevel(), rows, FactorFile.COLUMNS.indexOf(f.columns()
            .get(0)), f, images));
      } else {
        int[] idx = f.columns().stream().mapToInt(FactorFile.COLUMNS::indexOf).toArray();
        double[][] values = new double[images.size()][];
        for (int i = 0; i < images.size(); i++) {
          String[] v = rows.get(i);
          if (!f.applies(images.get(i).modality(), v)) {
            continue;
          }
          double[] out = new double[idx.length];
          for (int k = 0; k < idx.length; k++) {
            try {
              out[k] = Double.parseDouble(v[idx[k]]);
            } catch (NumberFormatException e) {
              throw new IbreidException("factor file " + file + ": column " + f.columns().get(k) + " of " + v[0]
                  + " is '" + v[idx[k]] + "', not a number");
            }
          }
          values[i] = f.target(out);
        }
        cols.add(new Column(f.name(), group, false, f.identityLevel(), List.of(), null, values));
      }
    }
    return new FactorTable(images, cols, true);
  }

  private static Column categorical(String name, String group, boolean identityLevel, List<String[]> rows,
      int col, FactorFile.Factor factor, List<ImageRecord> images) {
    TreeSet<String> names = new TreeSet<>(FactorTable::compareLabels);
    for (int i = 0; i < rows.size(); i++) {
      if (factor == null || factor.applies(images.get(i).modality(), rows.get(i))) {
        names.add(rows.get(i)[col]);
      }
    }
    List<String> classes = new ArrayList<>(names);
    Map<String, Integer> index = new HashMap<>();
    for (int k = 0; k < classes.size(); k++) {
      index.put(classes.get(k), k);
    }
    int[] labels = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      labels[i] = factor == null || factor.applies(images.get(i).modality(), rows.get(i))
          ? index.get(rows.get(i)[col]) : -1;
    }
    return new Column(name, group, true, identityLevel, classes, labels, null);
  }

  /** Numbers in numeric order, anything else alphabetically. */
  static int compareLabels(String a, String b) {
    try {
      return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
    } catch (NumberFormatException e) {
      return a.compareTo(b);
    }
  }

  /** The modalities present among the images. */
  public List<View> modalities() {
    return images.stream().map(ImageRecord::modality).distinct().sorted().toList();
  }
}
