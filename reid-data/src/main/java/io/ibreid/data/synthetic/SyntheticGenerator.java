package io.ibreid.data.synthetic;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.core.data.DataLog;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.random.Seeds;
import io.ibreid.data.image.FloatImage;
import io.ibreid.data.image.Pixels;
import io.ibreid.data.regdb.RegDb;
import io.ibreid.data.sysu.SysuMm01;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the lab: a synthetic cross-modal Re-ID data set (generator version 2) in the SYSU-MM01 layout (JPG) or the
 * RegDB layout (BMP), with identities drawn by {@link Population} / {@link Person}, per-image factors by
 * {@link Shot}, backgrounds by {@link Scene}, cameras by {@link CameraModel} and images by {@link Renderer}, and the
 * factor file {@link FactorFile#NAME} listing every image's factors. The output is a pure function of the
 * {@link Spec}: the same spec writes byte-identical files, whatever the number of threads. The folder is written
 * atomically: into a hidden sibling first, renamed to its name when complete.
 *
 * <p>SYSU layout: identities 1..N (N = train + test), a seeded shuffle chooses the test ids; the training ids are
 * split 3:1 into {@code exp/train_id.txt} and {@code exp/val_id.txt} (the reader uses both). Each identity is seen
 * by each camera with probability {@link Spec#cameraPresence} (at least one visible and one infrared camera); its
 * {@link Spec#visibleImages} and {@link Spec#infraredImages} are spread over the cameras it passes, as
 * {@code camC/NNNN/MMMM.jpg}. {@link Spec#subset} writes only some of the training identities.
 *
 * <p>RegDB layout: persons 1..N, {@link Spec#visibleImages} images per person in each modality, as
 * {@code Visible/P/v_P_KK.bmp} and {@code Thermal/P/t_P_KK.bmp}; the visible and thermal image K of a person share
 * their geometry (pose, position, place, occluder: the real cameras are co-located). Each of the ten trials draws its
 * own train/test split of the persons and numbers each split's labels 0..n-1, in
 * {@code idx/{train,test}_{visible,thermal}_t.txt}.
 */
public final class SyntheticGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(SyntheticGenerator.class);

  /** Name of the file, at the data set root, recording the spec that generated it. */
  public static final String SPEC_FILE = "synthetic.txt";

  /** The two layouts. */
  public enum Layout {
    SYSU, REGDB;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code sysu}/{@code regdb}; null when neither. */
    public static Layout fromLabel(String s) {
      for (Layout l : values()) {
        if (l.label().equalsIgnoreCase(s)) {
          return l;
        }
      }
      return null;
    }
  }

  /** Sets of this many images or more report progress every tenth ({@link #generate(Spec, Path, int, DataLog)}). */
  public static final int PROGRESS_MIN_IMAGES = 1000;

  /** The generator version recorded in {@link #SPEC_FILE}; version 1 (no factor file) sets stay readable. */
  public static final int VERSION = 2;

  /**
   * What to generate.
   *
   * @param layout SYSU-MM01 or RegDB layout
   * @param trainIds training identities (SYSU: the identities of {@code exp/train_id.txt} and {@code val_id.txt})
   * @param testIds test identities
   * @param height image height in pixels
   * @param width image width in pixels
   * @param visibleImages visible images per identity (SYSU: spread over the visible cameras it passes; RegDB: per
   *     modality)
   * @param infraredImages infrared images per identity (SYSU: over its infrared cameras; RegDB: equal to
   *     {@code visibleImages})
   * @param cameraPresence probability that an identity passes a given camera (SYSU layout)
   * @param seed generator seed
   * @param difficulty contrast of the shared cues, amount of nuisance and occlusion, places, correlation
   * @param subset SYSU: write only this many training identities (a seeded choice; their images are byte-identical
   *     to the full set's, and every test identity is written); 0 = all
   */
  public record Spec(Layout layout, int trainIds, int testIds, int height, int width, int visibleImages,
      int infraredImages, double cameraPresence, long seed, Difficulty difficulty, int subset) {
    public Spec {
      if (layout == null) {
        throw new IbreidException("synthetic layout is missing; expected sysu or regdb");
      }
      if (trainIds < 2) {
        throw new IbreidException("synthetic data needs at least 2 training identities, got " + trainIds);
      }
      if (testIds < 1) {
        throw new IbreidException("synthetic data needs at least 1 test identity, got " + testIds);
      }
      if (trainIds + testIds > 9999) {
        throw new IbreidException("synthetic data holds at most 9999 identities (4-digit folders), got "
            + (trainIds + testIds));
      }
      if (height < 16 || width < 8 || height > 1024 || width > 1024) {
        throw new IbreidException("synthetic image size " + height + "x" + width + " is out of range; expected "
            + "16..1024 x 8..1024 pixels");
      }
      if (visibleImages < 1 || visibleImages > 999 || infraredImages < 1 || infraredImages > 999) {
        throw new IbreidException("synthetic images per identity " + visibleImages + " visible + " + infraredImages
            + " infrared are out of range; expected 1..999 each");
      }
      if (layout == Layout.REGDB && visibleImages != infraredImages) {
        throw new IbreidException("synthetic RegDB layout has as many visible as thermal images per identity, got "
            + visibleImages + " and " + infraredImages);
      }
      if (layout == Layout.REGDB && visibleImages > 99) {
        throw new IbreidException("synthetic RegDB images per modality " + visibleImages + " is out of range; "
            + "expected 1..99");
      }
      if (!(cameraPresence > 0 && cameraPresence <= 1)) {
        throw new IbreidException("synthetic camera presence " + cameraPresence + " is out of range; expected "
            + "(0, 1]");
      }
      if (difficulty == null) {
        throw new IbreidException("synthetic difficulty is missing");
      }
      if (subset < 0 || subset == 1 || subset > trainIds) {
        throw new IbreidException("synthetic subset " + subset + " is out of range; expected 0 (all) or 2.."
            + trainIds + " training identities");
      }
      if (layout == Layout.REGDB && subset != 0) {
        throw new IbreidException("synthetic subset is for the SYSU layout; a RegDB-layout set keeps all its "
            + "identities");
      }
      if (layout == Layout.REGDB && difficulty.correlation() > 0) {
        throw new IbreidException("synthetic correlation (nuisance tied to training identities) is for the SYSU "
            + "layout; RegDB's ten trials each choose their own training identities");
      }
    }

    /**
     * The defaults. SYSU layout: 395 training and 96 test identities (SYSU-MM01's), 20 visible + 10 infrared images
     * per identity, 128×64. RegDB layout: 206 + 206 identities, 10 visible + 10 thermal images each (RegDB's).
     * The camera presence is 0.75 in both: the RegDB layout does not use it (one camera per modality), but it is
     * recorded in {@link #SPEC_FILE}, so it must equal what a config's {@code data.params} default to, or the same
     * data set would get two fingerprints.
     */
    public static Spec defaults(Layout layout) {
      return layout == Layout.SYSU
          ? new Spec(layout, 395, 96, 128, 64, 20, 10, 0.75, 1, Difficulty.DEFAULT, 0)
          : new Spec(layout, 206, 206, 128, 64, 10, 10, 0.75, 1, Difficulty.DEFAULT, 0);
    }

    /**
     * A spec in the first generator's terms: {@code images} per identity and camera (SYSU: 4 visible and 2
     * infrared cameras, so {@code 4 * images} visible and {@code 2 * images} infrared images per identity) or per
     * modality (RegDB); default difficulty, no subset.
     */
    public static Spec of(Layout layout, int trainIds, int testIds, int height, int width, int images,
        double cameraPresence, long seed) {
      return layout == Layout.SYSU
          ? new Spec(layout, trainIds, testIds, height, width, 4 * images, 2 * images, cameraPresence, seed,
              Difficulty.DEFAULT, 0)
          : new Spec(layout, trainIds, testIds, height, width, images, images, cameraPresence, seed,
              Difficulty.DEFAULT, 0);
    }

    public Spec withIds(int train, int test) {
      return new Spec(layout, train, test, height, width, visibleImages, infraredImages, cameraPresence, seed,
          difficulty, subset);
    }

    public Spec withSize(int h, int w) {
      return new Spec(layout, trainIds, testIds, h, w, visibleImages, infraredImages, cameraPresence, seed,
          difficulty, subset);
    }

    public Spec withImages(int visible, int infrared) {
      return new Spec(layout, trainIds, testIds, height, width, visible, infrared, cameraPresence, seed, difficulty,
          subset);
    }

    public Spec withCameraPresence(double p) {
      return new Spec(layout, trainIds, testIds, height, width, visibleImages, infraredImages, p, seed, difficulty,
          subset);
    }

    public Spec withSeed(long s) {
      return new Spec(layout, trainIds, testIds, height, width, visibleImages, infraredImages, cameraPresence, s,
          difficulty, subset);
    }

    public Spec withDifficulty(Difficulty d) {
      return new Spec(layout, trainIds, testIds, height, width, visibleImages, infraredImages, cameraPresence, seed,
          d, subset);
    }

    public Spec withSubset(int n) {
      return new Spec(layout, trainIds, testIds, height, width, visibleImages, infraredImages, cameraPresence, seed,
          difficulty, n);
    }

    /** The lines of {@link #SPEC_FILE}. */
    public String describe() {
      return "version=" + VERSION + "\nlayout=" + layout.label() + "\ntrainIds=" + trainIds + "\ntestIds=" + testIds
          + "\nheight=" + height + "\nwidth=" + width + "\nvisibleImages=" + visibleImages + "\ninfraredImages="
          + infraredImages + "\ncameraPresence=" + cameraPresence + "\nseed=" + seed + "\n" + difficulty.describe()
          + "subset=" + subset + "\n";
    }
  }

  /** What was written. */
  public record Summary(Spec spec, Path root, int trainIds, int testIds, int visibleImages, int infraredImages,
      double seconds) {
    public int images() {
      return visibleImages + infraredImages;
    }

    /**
     * One line: {@code generated 216 sysu-layout images (144 visible + 72 infrared) of 12+6 identities at 64x32
     * into /abs/lab in 0.4 s}.
     */
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "generated %d %s-layout images (%d visible + %d infrared) of %d+%d identities "
          + "at %dx%d into %s in %.1f s", images(), spec.layout().label(), visibleImages, infraredImages, trainIds,
          testIds, spec.height(), spec.width(), root, seconds);
    }
  }

  /** One image to render: where, of whom, through which camera, with which per-image factors. */
  private record Job(Path file, String relative, int pid, int camera, View modality, Shot shot) {}

  private SyntheticGenerator() {}

  /**
   * Generates {@code spec} into {@code out}, which must not exist or be an empty folder. Uses {@code workers}
   * threads. On failure nothing is left at {@code out}.
   */
  public static Summary generate(Spec spec, Path out, int workers) {
    return generate(spec, out, workers, DataLog.NONE);
  }

  /**
   * As {@link #generate(Spec, Path, int)}, reporting to {@code progress} (and to SLF4J) on the calling thread: how
   * many images it writes where, when it starts; every tenth of the images done, for sets of
   * {@value #PROGRESS_MIN_IMAGES} images or more; and the summary line at the end.
   */
  public static Summary generate(Spec spec, Path out, int workers, DataLog progress) {
    DataLog log = (level, message) -> {
      LOG.info(message);
      if (progress != null) {
        progress.log(level, message);
      }
    };
    long t0 = System.nanoTime();
    if (out.toString().isBlank()) {
      throw new IbreidException("synthetic output folder is empty; expected the name of a new or empty folder");
    }
    Path target = out.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath().normalize();
    if (cwd.startsWith(target)) {
      throw new IbreidException("synthetic output " + out + " is " + (cwd.equals(target) ? "the current folder"
          : "above the current folder") + "; expected a new or empty folder beside or below it");
    }
    if (target.getParent() == null) {
      throw new IbreidException("synthetic output " + out + " is a file-system root; expected a new or empty folder");
    }
    if (Files.exists(target) && !isEmptyFolder(target)) {
      throw new IbreidException("synthetic output " + out + " already exists and is not empty; expected a new or "
          + "empty folder");
    }
    Path parent = target.getParent();
    Path tmp = parent.resolve("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid() + "-"
        + Long.toHexString(System.nanoTime()));
    Summary summary;
    try {
      Files.createDirectories(parent);
      removeStalePartials(parent, target.getFileName().toString());
      Files.createDirectory(tmp);
      SortedSet<Integer> test = chooseTest(spec, spec.layout() == Layout.SYSU ? 0 : 101);
      Population population = Population.draw(spec, test);
      List<Job> jobs = spec.layout() == Layout.SYSU ? planSysu(spec, tmp, test) : planRegdb(spec, tmp);
      log.log(Level.INFO, "generating " + jobs.size() + " " + spec.layout().label() + "-layout images of "
          + (spec.subset() > 0 ? spec.subset() : spec.trainIds()) + "+" + spec.testIds() + " identities ("
          + spec.height() + "x" + spec.width() + ") into " + target + " on " + (workers <= 1 ? "1 thread"
          : workers + " threads"));
      render(spec, population, jobs, workers, log);
      StringBuilder factors = new StringBuilder(jobs.size() * 640);
      factors.append(FactorFile.HEADER).append('\n');
      for (Job j : jobs) {
        factors.append(FactorFile.line(new FactorFile.Row(j.relative(), j.pid(), j.camera(), j.modality(),
            population.person(j.pid()), j.shot()))).append('\n');
      }
      Files.writeString(tmp.resolve(FactorFile.NAME), factors, StandardCharsets.UTF_8);
      Files.writeString(tmp.resolve(SPEC_FILE), spec.describe(), StandardCharsets.UTF_8);
      int vis = (int) jobs.stream().filter(j -> j.modality() == View.VISIBLE).count();
      if (Files.isDirectory(target)) {
        Files.delete(target);
      }
      AtomicFiles.move(tmp, target);
      int written = spec.subset() > 0 ? spec.subset() : spec.trainIds();
      summary = new Summary(spec, target, written, spec.testIds(), vis, jobs.size() - vis,
          (System.nanoTime() - t0) / 1e9);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      deleteQuietly(tmp);
      throw new IbreidException("synthetic output " + out + " appeared while it was being generated; expected a "
          + "new or empty folder");
    } catch (IOException | UncheckedIOException e) {
      deleteQuietly(tmp);
      String why = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
      throw new IbreidException("cannot write synthetic data to " + out + ": " + why);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
    log.log(Level.INFO, summary.toString());
    return summary;
  }

  /**
   * Removes the hidden {@code .NAME.partial-PID-*} folders that a killed generation of {@code NAME} left in
   * {@code parent}: only folders of this naming pattern, and only when their process is no longer running.
   */
  static void removeStalePartials(Path parent, String name) {
    String prefix = "." + name + ".partial-";
    try (Stream<Path> s = Files.list(parent)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        String rest = p.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        if (dash > 0 && rest.substring(0, dash).matches("\\d+") && !AtomicFiles.alive(rest.substring(0, dash))
            && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          LOG.info("removing {}, left by an interrupted generation", p);
          deleteQuietly(p);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list {} for leftovers of interrupted generations: {}", parent, e.getMessage());
    }
  }

  private static boolean isEmptyFolder(Path p) {
    if (!Files.isDirectory(p)) {
      return false;
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      AtomicFiles.deleteTree(p);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", p, e.getMessage());
    }
  }

  /** Splits 1..N into test and training ids with a seeded shuffle. */
  static SortedSet<Integer> chooseTest(Spec spec, long salt) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 1; i <= spec.trainIds() + spec.testIds(); i++) {
      ids.add(i);
    }
    Collections.shuffle(ids, new Random(Seeds.derive(spec.seed(), salt, "split")));
    return new TreeSet<>(ids.subList(0, spec.testIds()));
  }

  /** The training identities a spec writes: all, or its seeded subset. */
  static SortedSet<Integer> writtenTraining(Spec spec, List<Integer> train) {
    if (spec.subset() == 0) {
      return new TreeSet<>(train);
    }
    List<Integer> order = new ArrayList<>(train);
    Collections.shuffle(order, new Random(Seeds.derive(spec.seed(), 2, "subset")));
    return new TreeSet<>(order.subList(0, spec.subset()));
  }

  /** The identity's preferred place (training identities, when the difficulty ties nuisance to identity), or -1. */
  static int preferredPlace(Spec spec, int pid, boolean test) {
    if (test || spec.difficulty().correlation() == 0) {
      return -1;
    }
    return new Random(Seeds.derive(spec.seed(), pid, "preferred-place")).nextInt(spec.difficulty().places());
  }

  private static List<Job> planSysu(Spec spec, Path root, SortedSet<Integer> test) throws IOException {
    int n = spec.trainIds() + spec.testIds();
    List<Integer> train = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      if (!test.contains(i)) {
        train.add(i);
      }
    }
    Collections.shuffle(train, new Random(Seeds.derive(spec.seed(), 1, "val")));
    int nVal = Math.max(1, train.size() / 4);
    SortedSet<Integer> kept = writtenTraining(spec, train);
    SortedSet<Integer> val = new TreeSet<>(train.subList(0, nVal));
    SortedSet<Integer> trn = new TreeSet<>(train.subList(nVal, train.size()));
    val.retainAll(kept);
    trn.retainAll(kept);
    // a small subset can miss one of the lists; the reader wants both non-empty (the subset has at least 2 ids)
    if (trn.isEmpty()) {
      trn.add(val.first());
      val.remove(val.first());
    } else if (val.isEmpty()) {
      val.add(trn.last());
      trn.remove(trn.last());
    }
    Path exp = root.resolve("exp");
    Files.createDirectories(exp);
    Files.writeString(exp.resolve("train_id.txt"), join(trn), StandardCharsets.UTF_8);
    Files.writeString(exp.resolve("val_id.txt"), join(val), StandardCharsets.UTF_8);
    Files.writeString(exp.resolve("test_id.txt"), join(test), StandardCharsets.UTF_8);
    List<Job> jobs = new ArrayList<>();
    CameraModel[] cams = cameras(spec);
    for (int c = 1; c <= SysuMm01.CAMERAS; c++) {
      Files.createDirectories(root.resolve("cam" + c));
    }
    for (int pid = 1; pid <= n; pid++) {
      boolean isTest = test.contains(pid);
      if (!isTest && !kept.contains(pid)) {
        continue;
      }
      int[] count = imagesPerCamera(spec, pid);
      int preferred = preferredPlace(spec, pid, isTest);
      for (int c = 1; c <= SysuMm01.CAMERAS; c++) {
        if (count[c] == 0) {
          continue;
        }
        Path folder = SysuMm01.identityFolder(root, c, pid);
        Files.createDirectories(folder);
        long base = Seeds.derive(spec.seed(), (long) pid * 16 + c, "sysu-image-v2");
        for (int k = 1; k <= count[c]; k++) {
          String name = String.format("%04d.jpg", k);
          Shot shot = Shot.draw(new Random(Seeds.derive(base, k, "geometry")), new Random(Seeds.derive(base, k,
              "photometry")), Seeds.derive(base, k, "noise"), spec.difficulty(), cams[c], preferred);
          jobs.add(new Job(folder.resolve(name), root.relativize(folder.resolve(name)).toString().replace('\\', '/'),
              pid, c, SysuMm01.modalityOf(c), shot));
        }
      }
    }
    return jobs;
  }

  /**
   * How many images each of cams 1..6 takes of identity {@code pid}: the cameras it passes (each with probability
   * p, at least one visible and one infrared) share the identity's visible and infrared images as evenly as
   * possible, the remainder going to cameras in a seeded order; a camera left with none holds no folder.
   */
  static int[] imagesPerCamera(Spec spec, int pid) {
    Random r = new Random(Seeds.derive(spec.seed(), pid, "presence"));
    boolean[] seen = new boolean[SysuMm01.CAMERAS + 1];
    for (int c = 1; c <= SysuMm01.CAMERAS; c++) {
      seen[c] = r.nextDouble() < spec.cameraPresence();
    }
    if (SysuMm01.VISIBLE_CAMERAS.stream().noneMatch(c -> seen[c])) {
      seen[SysuMm01.VISIBLE_CAMERAS.get(r.nextInt(SysuMm01.VISIBLE_CAMERAS.size()))] = true;
    }
    if (SysuMm01.INFRARED_CAMERAS.stream().noneMatch(c -> seen[c])) {
      seen[SysuMm01.INFRARED_CAMERAS.get(r.nextInt(SysuMm01.INFRARED_CAMERAS.size()))] = true;
    }
    int[] count = new int[SysuMm01.CAMERAS + 1];
    share(SysuMm01.VISIBLE_CAMERAS, seen, spec.visibleImages(), count, r);
    share(SysuMm01.INFRARED_CAMERAS, seen, spec.infraredImages(), count, r);
    return count;
  }

  private static void share(List<Integer> cameras, boolean[] seen, int images, int[] count, Random r) {
    List<Integer> passed = new ArrayList<>(cameras.stream().filter(c -> seen[c]).toList());
    Collections.shuffle(passed, r);
    for (int i = 0; i < passed.size(); i++) {
      count[passed.get(i)] = images / passed.size() + (i < images % passed.size() ? 1 : 0);
    }
  }

  private static CameraModel[] cameras(Spec spec) {
    CameraModel[] cams = new CameraModel[SysuMm01.CAMERAS + 1];
    for (int c = 1; c <= SysuMm01.CAMERAS; c++) {
      View m = spec.layout() == Layout.SYSU ? SysuMm01.modalityOf(c)
          : c == RegDb.THERMAL_CAMERA ? View.INFRARED : View.VISIBLE;
      cams[c] = CameraModel.draw(spec.seed(), c, m);
    }
    return cams;
  }

  private static List<Job> planRegdb(Spec spec, Path root) throws IOException {
    int n = spec.trainIds() + spec.testIds();
    CameraModel[] cams = cameras(spec);
    List<Job> jobs = new ArrayList<>();
    for (int pid = 1; pid <= n; pid++) {
      Path vis = root.resolve("Visible").resolve(Integer.toString(pid));
      Path th = root.resolve("Thermal").resolve(Integer.toString(pid));
      Files.createDirectories(vis);
      Files.createDirectories(th);
      long base = Seeds.derive(spec.seed(), pid, "regdb-image-v2");
      for (int k = 1; k <= spec.visibleImages(); k++) {
        // co-located cameras: the visible and the thermal image k share their geometry (same generator seed)
        long geometry = Seeds.derive(base, k, "geometry");
        Shot v = Shot.draw(new Random(geometry), new Random(Seeds.derive(base, k, "photometry-visible")),
            Seeds.derive(base, k, "noise-visible"), spec.difficulty(), cams[RegDb.VISIBLE_CAMERA], -1);
        Shot t = Shot.draw(new Random(geometry), new Random(Seeds.derive(base, k, "photometry-thermal")),
            Seeds.derive(base, k, "noise-thermal"), spec.difficulty(), cams[RegDb.THERMAL_CAMERA], -1);
        String vn = "Visible/" + pid + "/" + visibleName(pid, k);
        String tn = "Thermal/" + pid + "/" + thermalName(pid, k);
        jobs.add(new Job(root.resolve(vn), vn, pid, RegDb.VISIBLE_CAMERA, View.VISIBLE, v));
        jobs.add(new Job(root.resolve(tn), tn, pid, RegDb.THERMAL_CAMERA, View.INFRARED, t));
      }
    }
    Path idx = root.resolve("idx");
    Files.createDirectories(idx);
    for (int t = 1; t <= RegDb.TRIALS; t++) {
      SortedSet<Integer> test = chooseTest(spec, 100 + t);
      SortedSet<Integer> train = new TreeSet<>();
      for (int pid = 1; pid <= n; pid++) {
        if (!test.contains(pid)) {
          train.add(pid);
        }
      }
      writeIndex(idx.resolve("train_visible_" + t + ".txt"), train, spec, true);
      writeIndex(idx.resolve("train_thermal_" + t + ".txt"), train, spec, false);
      writeIndex(idx.resolve("test_visible_" + t + ".txt"), test, spec, true);
      writeIndex(idx.resolve("test_thermal_" + t + ".txt"), test, spec, false);
    }
    return jobs;
  }

  private static String visibleName(int pid, int k) {
    return String.format("v_%d_%02d.bmp", pid, k);
  }

  private static String thermalName(int pid, int k) {
    return String.format("t_%d_%02d.bmp", pid, k);
  }

  private static void writeIndex(Path file, SortedSet<Integer> pids, Spec spec, boolean visible) throws IOException {
    StringBuilder sb = new StringBuilder();
    int label = 0;
    for (int pid : pids) {
      for (int k = 1; k <= spec.visibleImages(); k++) {
        String name = visible ? "Visible/" + pid + "/" + visibleName(pid, k) : "Thermal/" + pid + "/"
            + thermalName(pid, k);
        sb.append(name).append(' ').append(label).append('\n');
      }
      label++;
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  private static String join(SortedSet<Integer> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + "\n";
  }

  private static void render(Spec spec, Population population, List<Job> jobs, int workers, DataLog log)
      throws IOException {
    Scene[] places = new Scene[spec.difficulty().places()];
    for (int k = 0; k < places.length; k++) {
      places[k] = Scene.draw(spec.seed(), k);
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
      Thread t = new Thread(r, "ibreid-synth");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> done = new ArrayList<>(jobs.size());
      for (Job j : jobs) {
        done.add(pool.submit(() -> {
          FloatImage img = Renderer.render(population.person(j.pid()), j.shot(), places[j.shot().place()],
              j.modality(), spec.height(), spec.width());
          write(Pixels.toImage(img), j.file(), spec.layout() == Layout.SYSU ? "jpeg" : "bmp");
          return null;
        }));
      }
      int reported = 0;
      for (int i = 0; i < done.size(); i++) {
        done.get(i).get();
        int tenth = (int) (10L * (i + 1) / done.size());
        if (done.size() >= PROGRESS_MIN_IMAGES && tenth > reported && i + 1 < done.size()) {
          reported = tenth;
          log.log(Level.INFO, "generated " + (i + 1) + " of " + done.size() + " images (" + 10 * tenth + " %)");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Encodes an image (JPEG at quality 0.92, or BMP) in memory and writes it in one go. */
  static void write(BufferedImage image, Path file, String format) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
      try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(out);
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (format.equals("jpeg")) {
          param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
          param.setCompressionQuality(0.92f);
        }
        writer.write(null, new IIOImage(image, null, null), param);
      } finally {
        writer.dispose();
      }
      Files.write(file, bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
