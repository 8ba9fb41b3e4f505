package io.ibreid.data.regdb;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.data.CrossModalSource;
import io.ibreid.data.Holdout;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.LabelledSplit;
import io.ibreid.data.image.ImageFiles;
import io.ibreid.data.image.ImageVerification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reader for the RegDB layout: {@code ROOT/Visible/...}, {@code ROOT/Thermal/...} and, for trial t (1..10),
 * {@code ROOT/idx/train_visible_t.txt}, {@code train_thermal_t.txt}, {@code test_visible_t.txt},
 * {@code test_thermal_t.txt}, each line {@code relative/path label}. Trial t trains on the train lists and tests on
 * the test lists.
 *
 * <p>An {@link ImageRecord}'s pid is the label of its index file; camera 1 is the visible camera, camera 2 the
 * thermal one. Train and test lists number their identities independently (both may start at 0), so train and test
 * pids are not comparable; what must not overlap are the images, which is checked. Every training label must
 * appear in both modalities. Bad input fails with an {@link IbreidException} naming the file (and line).
 */
public final class RegDb implements CrossModalSource {
  private static final Logger LOG = LoggerFactory.getLogger(RegDb.class);

  /** Number of published trials. */
  public static final int TRIALS = 10;
  /** Camera id given to visible images. */
  public static final int VISIBLE_CAMERA = 1;
  /** Camera id given to thermal images. */
  public static final int THERMAL_CAMERA = 2;

  /**
   * Reader options.
   *
   * @param trial 1..10
   * @param holdoutIds training identities kept aside for validation (0 = none)
   * @param holdoutSeed seed of the holdout choice
   * @param images how the listed image files are checked: header test (default), decode and skip the corrupt ones
   *               with a warning, or none (the caller checks them, as {@code ibreid doctor} does)
   * @param workers threads used when every image is decoded
   */
  public record Options(int trial, int holdoutIds, long holdoutSeed, ImageVerification.Policy images, int workers) {
    /** {@code skipCorrupt}: decode every image once and skip the ones that fail, with a warning, instead of failing. */
    public Options(int trial, int holdoutIds, long holdoutSeed, boolean skipCorrupt, int workers) {
      this(trial, holdoutIds, holdoutSeed, ImageVerification.Policy.of(skipCorrupt), workers);
    }

    public static Options trial(int t) {
      return new Options(t, 0, 1, false, 2);
    }
  }

  private final Path root;
  private final int trial;
  private final LabelledSplit train;
  private final List<ImageRecord> holdout;
  private final SortedSet<Integer> holdoutIds;
  private final List<ImageRecord> testVisible;
  private final List<ImageRecord> testThermal;
  private final SortedSet<Integer> testIds;

  private List<String> notes = List.of();

  private RegDb(Path root, int trial, List<ImageRecord> train, List<ImageRecord> holdout,
      SortedSet<Integer> holdoutIds, List<ImageRecord> testVisible, List<ImageRecord> testThermal) {
    this.root = root;
    this.trial = trial;
    this.train = new LabelledSplit(train);
    this.holdout = List.copyOf(holdout);
    this.holdoutIds = Collections.unmodifiableSortedSet(holdoutIds);
    this.testVisible = List.copyOf(testVisible);
    this.testThermal = List.copyOf(testThermal);
    SortedSet<Integer> ids = new TreeSet<>();
    testVisible.forEach(r -> ids.add(r.pid()));
    testThermal.forEach(r -> ids.add(r.pid()));
    this.testIds = Collections.unmodifiableSortedSet(ids);
  }

  /** Index file of a split ({@code train}/{@code test}), modality and trial. */
  public static Path indexFile(Path root, String split, View modality, int trial) {
    String m = modality == View.VISIBLE ? "visible" : "thermal";
    return root.resolve("idx").resolve(split + "_" + m + "_" + trial + ".txt");
  }

  /** Reads the four index files of {@code options.trial()} and checks every listed image. */
  public static RegDb open(Path root, Options options) {
    if (!Files.isDirectory(root)) {
      throw new IbreidException("RegDB root " + root + " does not exist or is not a folder; expected a folder "
          + "holding Visible/, Thermal/ and idx/");
    }
    int t = options.trial();
    if (t < 1 || t > TRIALS) {
      throw new IbreidException("RegDB trial " + t + " is out of range; expected 1.." + TRIALS);
    }
    List<String> notes = new ArrayList<>();
    List<ImageRecord> trainV = readIndex(root, indexFile(root, "train", View.VISIBLE, t), View.VISIBLE, notes);
    List<ImageRecord> trainT = readIndex(root, indexFile(root, "train", View.INFRARED, t), View.INFRARED, notes);
    List<ImageRecord> testV = readIndex(root, indexFile(root, "test", View.VISIBLE, t), View.VISIBLE, notes);
    List<ImageRecord> testT = readIndex(root, indexFile(root, "test", View.INFRARED, t), View.INFRARED, notes);
    notes.forEach(n -> LOG.warn("{}", n));
    checkDisjoint(root, t, trainV, trainT, testV, testT);
    SortedSet<Integer> vIds = ids(trainV);
    SortedSet<Integer> tIds = ids(trainT);
    for (int id : vIds) {
      if (!tIds.contains(id)) {
        throw new IbreidException("training label " + id + " appears in " + indexFile(root, "train", View.VISIBLE, t)
            + " but not in " + indexFile(root, "train", View.INFRARED, t) + "; every training identity needs "
            + "visible and thermal images");
      }
    }
    for (int id : tIds) {
      if (!vIds.contains(id)) {
        throw new IbreidException("training label " + id + " appears in " + indexFile(root, "train", View.INFRARED, t)
            + " but not in " + indexFile(root, "train", View.VISIBLE, t) + "; every training identity needs "
            + "visible and thermal images");
      }
    }
    if (!ids(testV).equals(ids(testT))) {
      LOG.warn("RegDB trial {}: the test lists name different identities in the two modalities; queries without a "
          + "match will be skipped by the evaluation", t);
    }
    List<ImageRecord> allTrain = new ArrayList<>(trainV);
    allTrain.addAll(trainT);
    allTrain = ImageVerification.check(allTrain, options.images(), options.workers());
    testV = ImageVerification.check(testV, options.images(), options.workers());
    testT = ImageVerification.check(testT, options.images(), options.workers());
    SortedSet<Integer> trainIds = ids(allTrain);
    for (View m : View.values()) {
      SortedSet<Integer> present = ids(allTrain.stream().filter(r -> r.modality() == m).toList());
      if (!present.equals(trainIds)) {
        SortedSet<Integer> missing = Holdout.rest(trainIds, present);
        throw new IbreidException("training label " + missing.first() + " has no readable image left in "
            + indexFile(root, "train", m, t) + " after skipping corrupt images; expected images of both modalities");
      }
    }
    SortedSet<Integer> held = Holdout.choose(trainIds, options.holdoutIds(), options.holdoutSeed(),
        indexFile(root, "train", View.VISIBLE, t).toString());
    List<ImageRecord> keep = new ArrayList<>();
    List<ImageRecord> out = new ArrayList<>();
    for (ImageRecord r : allTrain) {
      (held.contains(r.pid()) ? out : keep).add(r);
    }
    RegDb opened = new RegDb(root, t, keep, out, held, testV, testT);
    opened.notes = List.copyOf(notes);
    return opened;
  }

  /** As {@link #readIndex(Path, Path, View, List)}, dropping the notes. */
  static List<ImageRecord> readIndex(Path root, Path file, View modality) {
    return readIndex(root, file, modality, new ArrayList<>());
  }

  /**
   * Parses one index file: non-blank lines {@code relative/path label} (a leading byte-order mark is skipped). A path
   * listed twice is kept twice, as the file says, and noted in {@code notes}.
   */
  static List<ImageRecord> readIndex(Path root, Path file, View modality, List<String> notes) {
    if (!Files.isRegularFile(file)) {
      throw new IbreidException("RegDB index file " + file + " does not exist; expected lines 'relative/path label'");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IbreidException("RegDB index file " + file + " is not UTF-8 text; expected lines 'relative/path "
          + "label'");
    } catch (IOException e) {
      throw new IbreidException("RegDB index file " + file + " cannot be read (" + e.getMessage() + ")");
    }
    Path base = root.toAbsolutePath().normalize();
    int camera = modality == View.VISIBLE ? VISIBLE_CAMERA : THERMAL_CAMERA;
    List<ImageRecord> records = new ArrayList<>();
    Map<Path, Integer> firstLine = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = (i == 0 && lines.get(i).startsWith("\uFEFF") ? lines.get(i).substring(1) : lines.get(i)).strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = file + " line " + (i + 1);
      String[] parts = line.split("\\s+");
      int label;
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        label = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IbreidException(where + " reads '" + line + "'; expected 'relative/path label' with an integer "
            + "label");
      }
      if (label < 0) {
        throw new IbreidException(where + " has label " + label + "; expected a label >= 0");
      }
      Path p = base.resolve(parts[0]).normalize();
      if (!p.startsWith(base)) {
        throw new IbreidException(where + " names " + parts[0] + ", which lies outside the root " + root
            + "; expected a path relative to the root");
      }
      if (!ImageFiles.hasImageExtension(p)) {
        throw new IbreidException(where + " names " + p + ", which is not an image file; expected a .jpg, .jpeg, "
            + ".png or .bmp path");
      }
      if (!Files.isRegularFile(p)) {
        throw new IbreidException(where + " names " + p + ", which does not exist; expected the image file there");
      }
      Integer before = firstLine.putIfAbsent(p, i + 1);
      if (before != null) {
        notes.add("RegDB index file " + file + " lists " + parts[0] + " twice (lines " + before + " and " + (i + 1)
            + ")");
      }
      records.add(new ImageRecord(p, label, camera, modality));
    }
    if (records.isEmpty()) {
      throw new IbreidException("RegDB index file " + file + " lists no image; expected lines 'relative/path label'");
    }
    return records;
  }

  private static void checkDisjoint(Path root, int t, List<ImageRecord> trainV, List<ImageRecord> trainT,
      List<ImageRecord> testV, List<ImageRecord> testT) {
    Map<Path, Path> trainPaths = new HashMap<>();
    trainV.forEach(r -> trainPaths.put(r.path(), indexFile(root, "train", View.VISIBLE, t)));
    trainT.forEach(r -> trainPaths.put(r.path(), indexFile(root, "train", View.INFRARED, t)));
    List<ImageRecord> test = new ArrayList<>(testV);
    test.addAll(testT);
    for (ImageRecord r : test) {
      Path in = trainPaths.get(r.path());
      if (in != null) {
        throw new IbreidException("image " + r.path() + " is listed for training in " + in + " and for testing in "
            + indexFile(root, "test", r.modality(), t) + "; expected training and test images to be disjoint");
      }
    }
  }

  private static SortedSet<Integer> ids(List<ImageRecord> records) {
    return records.stream().map(ImageRecord::pid).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Whether {@code root} looks like a RegDB data set (it has {@code idx/train_visible_1.txt}). */
  public static boolean looksLikeDataset(Path root) {
    return Files.isRegularFile(indexFile(root, "train", View.VISIBLE, 1));
  }

  public int trial() {
    return trial;
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public LabelledSplit train() {
    return train;
  }

  @Override
  public List<ImageRecord> holdout() {
    return holdout;
  }

  @Override
  public SortedSet<Integer> holdoutIds() {
    return holdoutIds;
  }

  /** Test images of the visible list, then of the thermal list. */
  @Override
  public List<ImageRecord> testRecords() {
    List<ImageRecord> all = new ArrayList<>(testVisible);
    all.addAll(testThermal);
    return all;
  }

  /** Test images of {@code test_visible_t.txt}. */
  public List<ImageRecord> testVisible() {
    return testVisible;
  }

  /** Test images of {@code test_thermal_t.txt}. */
  public List<ImageRecord> testThermal() {
    return testThermal;
  }

  /** Labels of the test lists (numbered independently of the training labels). */
  @Override
  public SortedSet<Integer> testIds() {
    return testIds;
  }

  /** What the reader tolerated and logged: images listed twice. */
  @Override
  public List<String> notes() {
    return notes;
  }

  @Override
  public String describe() {
    return "RegDB " + root + " trial " + trial + ": " + train.numClasses() + " training ids ("
        + train.count(View.VISIBLE) + " visible + " + train.count(View.INFRARED) + " thermal images), "
        + holdoutIds.size() + " held out, " + testIds.size() + " test ids (" + testVisible.size() + " visible + "
        + testThermal.size() + " thermal images)";
  }
}
