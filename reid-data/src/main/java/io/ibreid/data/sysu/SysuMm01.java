package io.ibreid.data.sysu;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reader for the SYSU-MM01 layout: {@code ROOT/cam1..cam6/NNNN/*.jpg} (NNNN = 4-digit identity) and
 * {@code ROOT/exp/train_id.txt}, {@code val_id.txt}, {@code test_id.txt}, each holding comma-separated identity
 * numbers. Cameras 1, 2, 4, 5 are visible (1 and 2 indoor), cameras 3 and 6 infrared.
 *
 * <p>The training identities are those of {@code train_id.txt} and {@code val_id.txt} (395 on the real set), minus
 * the {@link Options#holdoutIds} kept aside as a validation split; they are relabelled 0..C-1. The test identities
 * are those of {@code test_id.txt}; {@link #testRecords()} returns every image of them in all six cameras, and the
 * evaluation protocol picks queries and gallery from camera and modality.
 *
 * <p>An identity folder may be missing from a camera (not every person passes every camera), but a folder that
 * exists must hold images, and every listed identity must have at least one image. Hidden files (names starting
 * with a dot, such as macOS's {@code .DS_Store}) are ignored; Windows' folder metadata files ({@code Thumbs.db},
 * {@code ehthumbs.db}, {@code desktop.ini}, any case), which Windows extractions of the real archives leave behind,
 * are skipped with one warning line per scan; any other non-image file is an error. Bad input fails with an
 * {@link IbreidException} whose one line names the path and what was expected.
 */
public final class SysuMm01 implements CrossModalSource {
  /** Visible-light cameras. */
  public static final List<Integer> VISIBLE_CAMERAS = List.of(1, 2, 4, 5);
  /** Infrared cameras. */
  public static final List<Integer> INFRARED_CAMERAS = List.of(3, 6);
  /** Visible cameras of the indoor-search gallery. */
  public static final List<Integer> INDOOR_CAMERAS = List.of(1, 2);
  /** Number of cameras. */
  public static final int CAMERAS = 6;
  /** Operating-system metadata files skipped (with a warning) in identity folders, lower case. */
  public static final Set<String> OS_METADATA_FILES = Set.of("thumbs.db", "ehthumbs.db", "desktop.ini");

  private static final Logger LOG = LoggerFactory.getLogger(SysuMm01.class);

  /**
   * Reader options.
   *
   * @param holdoutIds training identities kept aside for validation (0 = none)
   * @param holdoutSeed seed of the holdout choice (see {@link Holdout})
   * @param images how the listed image files are checked: header test (default), decode and skip the corrupt ones
   *               with a warning, or none (the caller checks them, as {@code ibreid doctor} does)
   * @param workers threads used when every image is decoded
   */
  public record Options(int holdoutIds, long holdoutSeed, ImageVerification.Policy images, int workers) {
    /** {@code skipCorrupt}: decode every image once and skip the ones that fail, with a warning, instead of failing. */
    public Options(int holdoutIds, long holdoutSeed, boolean skipCorrupt, int workers) {
      this(holdoutIds, holdoutSeed, ImageVerification.Policy.of(skipCorrupt), workers);
    }

    public static Options defaults() {
      return new Options(0, 1, false, 2);
    }
  }

  private final Path root;
  private final Options options;
  private final SortedSet<Integer> trainIds;
  private final SortedSet<Integer> holdoutIds;
  private final SortedSet<Integer> testIds;
  private final LabelledSplit train;
  private final List<ImageRecord> holdout;
  private final List<String> notes;
  private List<ImageRecord> test;

  private SysuMm01(Path root, Options options, SortedSet<Integer> trainIds, SortedSet<Integer> holdoutIds,
      SortedSet<Integer> testIds, List<ImageRecord> train, List<ImageRecord> holdout, List<String> notes) {
    this.notes = List.copyOf(notes);
    this.root = root;
    this.options = options;
    this.trainIds = Collections.unmodifiableSortedSet(trainIds);
    this.holdoutIds = Collections.unmodifiableSortedSet(holdoutIds);
    this.testIds = Collections.unmodifiableSortedSet(testIds);
    this.train = new LabelledSplit(train);
    this.holdout = List.copyOf(holdout);
  }

  /** The modality of a SYSU-MM01 camera (1..6). */
  public static View modalityOf(int camera) {
    if (VISIBLE_CAMERAS.contains(camera)) {
      return View.VISIBLE;
    }
    if (INFRARED_CAMERAS.contains(camera)) {
      return View.INFRARED;
    }
    throw new IllegalArgumentException("SYSU-MM01 has cameras 1..6, got " + camera);
  }

  /** Folder of one identity in one camera: {@code ROOT/camC/NNNN}. */
  public static Path identityFolder(Path root, int camera, int pid) {
    return root.resolve("cam" + camera).resolve(String.format("%04d", pid));
  }

  /** Whether {@code root} looks like a SYSU-MM01 data set (it has {@code exp/train_id.txt}). */
  public static boolean looksLikeDataset(Path root) {
    return Files.isRegularFile(root.resolve("exp").resolve("train_id.txt"));
  }

  /** Reads the id lists and scans the training identities' images (the test images are scanned on first use). */
  public static SysuMm01 open(Path root, Options options) {
    if (!Files.isDirectory(root)) {
      throw new IbreidException("SYSU-MM01 root " + root + " does not exist or is not a folder; expected a folder "
          + "holding cam1..cam6 and exp/");
    }
    Path exp = root.resolve("exp");
    Path trainFile = exp.resolve("train_id.txt");
    Path valFile = exp.resolve("val_id.txt");
    Path testFile = exp.resolve("test_id.txt");
    List<String> notes = new ArrayList<>();
    SortedSet<Integer> trainList = readIds(trainFile, notes);
    SortedSet<Integer> valList = readIds(valFile, notes);
    SortedSet<Integer> testList = readIds(testFile, notes);
    for (int id : valList) {
      if (trainList.contains(id)) {
        notes.add("identity " + id + " is listed in both " + trainFile + " and " + valFile + "; it is used once");
        break;
      }
    }
    notes.forEach(n -> LOG.warn("{}", n));
    for (int id : testList) {
      if (trainList.contains(id) || valList.contains(id)) {
        Path other = trainList.contains(id) ? trainFile : valFile;
        throw new IbreidException("identity " + id + " is listed in both " + other + " and " + testFile
            + "; expected training and test identities to be disjoint");
      }
    }
    for (int c = 1; c <= CAMERAS; c++) {
      Path cam = root.resolve("cam" + c);
      if (!Files.isDirectory(cam)) {
        throw new IbreidException("SYSU-MM01 camera folder " + cam + " does not exist; expected cam1..cam6 under "
            + root);
      }
    }
    SortedSet<Integer> all = new TreeSet<>(trainList);
    all.addAll(valList);
    SortedSet<Integer> held = Holdout.choose(all, options.holdoutIds(), options.holdoutSeed(), root.toString());
    SortedSet<Integer> trainIds = Holdout.rest(all, held);
    Map<Integer, Path> listedIn = new TreeMap<>();
    trainList.forEach(id -> listedIn.put(id, trainFile));
    valList.forEach(id -> listedIn.putIfAbsent(id, valFile));
    List<Path> osFiles = new ArrayList<>();
    List<ImageRecord> trainRecords = scan(root, trainIds, listedIn, options, osFiles);
    List<ImageRecord> holdoutRecords = scan(root, held, listedIn, options, osFiles);
    warnOsFiles(osFiles, "training");
    return new SysuMm01(root, options, trainIds, held, testList, trainRecords, holdoutRecords, notes);
  }

  /** As {@link #readIds(Path, List)}, dropping the notes. */
  static SortedSet<Integer> readIds(Path file) {
    return readIds(file, new ArrayList<>());
  }

  /**
   * Parses an id list: integers separated by commas and/or white space (a leading byte-order mark is skipped). An id
   * listed twice is used once and noted in {@code notes}.
   */
  static SortedSet<Integer> readIds(Path file, List<String> notes) {
    if (!Files.isRegularFile(file)) {
      throw new IbreidException("SYSU-MM01 id list " + file + " does not exist; expected a line of comma-separated "
          + "identity numbers");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IbreidException("SYSU-MM01 id list " + file + " is not UTF-8 text; expected a line of "
          + "comma-separated identity numbers");
    } catch (IOException e) {
      throw new IbreidException("SYSU-MM01 id list " + file + " cannot be read (" + e.getMessage() + ")");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    SortedSet<Integer> ids = new TreeSet<>();
    SortedSet<Integer> twice = new TreeSet<>();
    for (String token : text.strip().split("[,\\s]+")) {
      if (token.isEmpty()) {
        continue;
      }
      int id;
      try {
        id = Integer.parseInt(token);
      } catch (NumberFormatException e) {
        throw new IbreidException("SYSU-MM01 id list " + file + " holds '" + token + "'; expected comma-separated "
            + "identity numbers");
      }
      if (id <= 0 || id > 9999) {
        throw new IbreidException("SYSU-MM01 id list " + file + " holds identity " + id + "; expected numbers "
            + "1..9999 (4-digit folder names)");
      }
      if (!ids.add(id)) {
        twice.add(id);
      }
    }
    if (!twice.isEmpty()) {
      notes.add("SYSU-MM01 id list " + file + " names " + (twice.size() == 1 ? "identity " + twice.first()
          : twice.size() + " identities (" + twice.first() + ", ...)") + " more than once; each is used once");
    }
    if (ids.isEmpty()) {
      throw new IbreidException("SYSU-MM01 id list " + file + " lists no identity; expected a line of "
          + "comma-separated identity numbers");
    }
    return ids;
  }

  /** One warning line for the operating-system metadata files skipped while scanning some identities' folders. */
  private static void warnOsFiles(List<Path> osFiles, String which) {
    if (!osFiles.isEmpty()) {
      LOG.warn("skipped {} operating-system metadata file{} (Thumbs.db, desktop.ini) in the {} identity folders, "
          + "e.g. {}", osFiles.size(), osFiles.size() == 1 ? "" : "s", which, osFiles.get(0));
    }
  }

  /**
   * Every image of {@code ids} in all six cameras, sorted by camera, identity and file name; the operating-system
   * metadata files met on the way are added to {@code osFiles}.
   */
  private static List<ImageRecord> scan(Path root, Set<Integer> ids, Map<Integer, Path> listedIn, Options options,
      List<Path> osFiles) {
    List<ImageRecord> records = new ArrayList<>();
    Map<Integer, Integer> found = new TreeMap<>();
    for (int c = 1; c <= CAMERAS; c++) {
      View modality = modalityOf(c);
      for (int id : ids) {
        Path folder = identityFolder(root, c, id);
        if (!Files.exists(folder)) {
          if (Files.isSymbolicLink(folder)) {
            throw new IbreidException("SYSU-MM01 identity folder " + folder + " is a symbolic link that leads nowhere "
                + "(a loop or a missing target); expected a folder of images, or no entry at all");
          }
          continue;
        }
        if (!Files.isDirectory(folder)) {
          throw new IbreidException("SYSU-MM01 identity folder " + folder + " is a file; expected a folder of "
              + "images");
        }
        List<Path> images = listImages(folder, osFiles);
        if (images.isEmpty()) {
          throw new IbreidException("SYSU-MM01 identity folder " + folder + " is empty; expected the identity's "
              + "images (or no folder at all if it was not seen by cam" + c + ")");
        }
        for (Path p : images) {
          records.add(new ImageRecord(p, id, c, modality));
        }
      }
    }
    records = ImageVerification.check(records, options.images(), options.workers());
    for (ImageRecord r : records) {
      found.merge(r.pid(), 1, Integer::sum);
    }
    for (int id : ids) {
      if (!found.containsKey(id)) {
        throw new IbreidException("SYSU-MM01 id list " + listedIn.getOrDefault(id, root) + " names identity " + id
            + ", but no camera holds a readable image of it; expected images in " + root + "/cam[1-6]/"
            + String.format("%04d", id));
      }
    }
    return records;
  }

  private static List<Path> listImages(Path folder, List<Path> osFiles) {
    List<Path> images = new ArrayList<>();
    try (Stream<Path> s = Files.list(folder)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        if (OS_METADATA_FILES.contains(name.toLowerCase(Locale.ROOT)) && Files.isRegularFile(p)) {
          osFiles.add(p);
          continue;
        }
        if (!Files.isRegularFile(p) || !ImageFiles.hasImageExtension(p)) {
          throw new IbreidException("SYSU-MM01 identity folder " + folder + " holds " + name + ", which is not an "
              + "image; expected only .jpg, .jpeg, .png or .bmp files");
        }
        images.add(p);
      }
    } catch (IOException e) {
      throw new IbreidException("SYSU-MM01 identity folder " + folder + " cannot be listed (" + e.getMessage()
          + ")");
    }
    return images;
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public LabelledSplit train() {
    return train;
  }

  /** Original ids of the training identities (train_id.txt + val_id.txt minus the holdout). */
  public SortedSet<Integer> trainIds() {
    return trainIds;
  }

  @Override
  public List<ImageRecord> holdout() {
    return holdout;
  }

  @Override
  public SortedSet<Integer> holdoutIds() {
    return holdoutIds;
  }

  @Override
  public SortedSet<Integer> testIds() {
    return testIds;
  }

  /** Every image of the test identities in cams 1..6 (scanned and checked on the first call). */
  @Override
  public synchronized List<ImageRecord> testRecords() {
    if (test == null) {
      Map<Integer, Path> listedIn = new TreeMap<>();
      testIds.forEach(id -> listedIn.put(id, root.resolve("exp").resolve("test_id.txt")));
      List<Path> osFiles = new ArrayList<>();
      test = List.copyOf(scan(root, testIds, listedIn, options, osFiles));
      warnOsFiles(osFiles, "test");
    }
    return test;
  }

  /** What the reader tolerated and logged: ids listed more than once. */
  @Override
  public List<String> notes() {
    return notes;
  }

  @Override
  public String describe() {
    return "SYSU-MM01 " + root + ": " + train.numClasses() + " training ids (" + train.count(View.VISIBLE)
        + " visible + " + train.count(View.INFRARED) + " infrared images), " + holdoutIds.size() + " held out ("
        + holdout.size() + " images), " + testIds.size() + " test ids";
  }
}
