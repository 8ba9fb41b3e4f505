package io.ibreid.data.synthetic;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.train.Seeds;
import io.ibreid.data.image.FloatImage;
import io.ibreid.data.image.Pixels;
import io.ibreid.data.regdb.RegDb;
import io.ibreid.data.sysu.SysuMm01;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * Writes a synthetic cross-modal Re-ID data set in the SYSU-MM01 layout (JPG) or the RegDB layout (BMP), with
 * identities drawn by {@link Person}, cameras by {@link CameraModel} and images by {@link Renderer}. The output is
 * a pure function of the {@link Spec}: the same spec writes byte-identical files, whatever the number of threads.
 * The folder is written atomically: into a hidden sibling first, renamed to its name when complete.
 *
 * <p>SYSU layout: identities 1..N (N = train + test), a seeded shuffle chooses the test ids; the training ids are
 * split 3:1 into {@code exp/train_id.txt} and {@code exp/val_id.txt} (the reader uses both). Each identity is seen
 * by each camera with probability {@link Spec#cameraPresence} (at least one visible and one infrared camera), with
 * {@link Spec#images} images per camera, as {@code camC/NNNN/MMMM.jpg}.
 *
 * <p>RegDB layout: persons 1..N, {@link Spec#images} images per person in each modality, as
 * {@code Visible/P/v_P_KK.bmp} and {@code Thermal/P/t_P_KK.bmp}; the visible and thermal image K of a person share
 * their pose (the real cameras are co-located). Each of the ten trials draws its own train/test split of the
 * persons and numbers each split's labels 0..n-1, in {@code idx/{train,test}_{visible,thermal}_t.txt}.
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

  /**
   * What to generate.
   *
   * @param layout SYSU-MM01 or RegDB layout
   * @param trainIds training identities
   * @param testIds test identities
   * @param height image height in pixels
   * @param width image width in pixels
   * @param images images per identity and camera (SYSU) or per identity and modality (RegDB)
   * @param cameraPresence probability that an identity passes a given camera (SYSU layout)
   * @param seed generator seed
   */
  public record Spec(Layout layout, int trainIds, int testIds, int height, int width, int images,
      double cameraPresence, long seed) {
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
      if (images < 1 || images > 99) {
        throw new IbreidException("synthetic images per camera " + images + " is out of range; expected 1..99");
      }
      if (!(cameraPresence > 0 && cameraPresence <= 1)) {
        throw new IbreidException("synthetic camera presence " + cameraPresence + " is out of range; expected "
            + "(0, 1]");
      }
    }

    /** The defaults: 150 training and 80 test identities, 128×64 images, 4 images per camera (SYSU) or 10 (RegDB). */
    public static Spec defaults(Layout layout) {
      return new Spec(layout, 150, 80, 128, 64, layout == Layout.SYSU ? 4 : 10, 0.75, 1);
    }

    /** The lines of {@link #SPEC_FILE}. */
    public String describe() {
      return "layout=" + layout.label() + "\ntrainIds=" + trainIds + "\ntestIds=" + testIds + "\nheight=" + height
          + "\nwidth=" + width + "\nimages=" + images + "\ncameraPresence=" + cameraPresence + "\nseed=" + seed
          + "\n";
    }
  }

  /** What was written. */
  public record Summary(Spec spec, Path root, int trainIds, int testIds, int visibleImages, int infraredImages,
      double seconds) {
    public int images() {
      return visibleImages + infraredImages;
    }
  }

  private record Job(Path file, int pid, int camera, View modality, long geometrySeed, long photoSeed) {}

  private SyntheticGenerator() {}

  /**
   * Generates {@code spec} into {@code out}, which must not exist or be an empty folder. Uses {@code workers}
   * threads. On failure nothing is left at {@code out}.
   */
  public static Summary generate(Spec spec, Path out, int workers) {
    long t0 = System.nanoTime();
    Path target = out.toAbsolutePath().normalize();
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
      Files.createDirectory(tmp);
      List<Job> jobs = spec.layout() == Layout.SYSU ? planSysu(spec, tmp) : planRegdb(spec, tmp);
      render(spec, jobs, workers);
      Files.writeString(tmp.resolve(SPEC_FILE), spec.describe(), StandardCharsets.UTF_8);
      int vis = (int) jobs.stream().filter(j -> j.modality() == View.VISIBLE).count();
      if (Files.isDirectory(target)) {
        Files.delete(target);
      }
      AtomicFiles.move(tmp, target);
      summary = new Summary(spec, target, spec.trainIds(), spec.testIds(), vis, jobs.size() - vis,
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
    LOG.info("generated {} {} images of {}+{} identities into {} in {} s", summary.images(), spec.layout().label(),
        spec.trainIds(), spec.testIds(), target, String.format("%.1f", summary.seconds()));
    return summary;
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

  private static List<Job> planSysu(Spec spec, Path root) throws IOException {
    int n = spec.trainIds() + spec.testIds();
    SortedSet<Integer> test = chooseTest(spec, 0);
    List<Integer> train = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      if (!test.contains(i)) {
        train.add(i);
      }
    }
    Collections.shuffle(train, new Random(Seeds.derive(spec.seed(), 1, "val")));
    int nVal = Math.max(1, train.size() / 4);
    SortedSet<Integer> val = new TreeSet<>(train.subList(0, nVal));
    SortedSet<Integer> trn = new TreeSet<>(train.subList(nVal, train.size()));
    Path exp = root.resolve("exp");
    Files.createDirectories(exp);
    Files.writeString(exp.resolve("train_id.txt"), join(trn), StandardCharsets.UTF_8);
    Files.writeString(exp.resolve("val_id.txt"), join(val), StandardCharsets.UTF_8);
    Files.writeString(exp.resolve("test_id.txt"), join(test), StandardCharsets.UTF_8);
    List<Job> jobs = new ArrayList<>();
    for (int c = 1; c <= SysuMm01.CAMERAS; c++) {
      Files.createDirectories(root.resolve("cam" + c));
    }
    for (int pid = 1; pid <= n; pid++) {
      boolean[] seen = presence(spec, pid);
      for (int c = 1; c <= SysuMm01.CAMERAS; c++) {
        if (!seen[c]) {
          continue;
        }
        Path folder = SysuMm01.identityFolder(root, c, pid);
        Files.createDirectories(folder);
        long base = Seeds.derive(spec.seed(), (long) pid * 16 + c, "sysu-image");
        for (int k = 1; k <= spec.images(); k++) {
          jobs.add(new Job(folder.resolve(String.format("%04d.jpg", k)), pid, c, SysuMm01.modalityOf(c),
              Seeds.derive(base, k, "geometry"), Seeds.derive(base, k, "photometry")));
        }
      }
    }
    return jobs;
  }

  /** Which of cams 1..6 see identity {@code pid}: each with probability p, at least one visible and one infrared. */
  static boolean[] presence(Spec spec, int pid) {
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
    return seen;
  }

  private static List<Job> planRegdb(Spec spec, Path root) throws IOException {
    int n = spec.trainIds() + spec.testIds();
    List<Job> jobs = new ArrayList<>();
    for (int pid = 1; pid <= n; pid++) {
      Path vis = root.resolve("Visible").resolve(Integer.toString(pid));
      Path th = root.resolve("Thermal").resolve(Integer.toString(pid));
      Files.createDirectories(vis);
      Files.createDirectories(th);
      long base = Seeds.derive(spec.seed(), pid, "regdb-image");
      for (int k = 1; k <= spec.images(); k++) {
        long geometry = Seeds.derive(base, k, "geometry");
        jobs.add(new Job(vis.resolve(visibleName(pid, k)), pid, RegDb.VISIBLE_CAMERA, View.VISIBLE, geometry,
            Seeds.derive(base, k, "photometry-visible")));
        jobs.add(new Job(th.resolve(thermalName(pid, k)), pid, RegDb.THERMAL_CAMERA, View.INFRARED, geometry,
            Seeds.derive(base, k, "photometry-thermal")));
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
      for (int k = 1; k <= spec.images(); k++) {
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

  private static void render(Spec spec, List<Job> jobs, int workers) throws IOException {
    CameraModel[] cams = new CameraModel[SysuMm01.CAMERAS + 1];
    for (int c = 1; c <= SysuMm01.CAMERAS; c++) {
      View m = spec.layout() == Layout.SYSU ? SysuMm01.modalityOf(c)
          : c == RegDb.THERMAL_CAMERA ? View.INFRARED : View.VISIBLE;
      cams[c] = CameraModel.draw(spec.seed(), c, m);
    }
    if (spec.layout() == Layout.REGDB) {
      // co-located cameras: the thermal camera looks at the same scene layout as the visible one
      cams[RegDb.THERMAL_CAMERA] = CameraModel.draw(spec.seed(), RegDb.VISIBLE_CAMERA, View.INFRARED);
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
          FloatImage img = Renderer.render(Person.draw(spec.seed(), j.pid()), cams[j.camera()], spec.height(),
              spec.width(), j.geometrySeed(), j.photoSeed());
          write(Pixels.toImage(img), j.file(), spec.layout() == Layout.SYSU ? "jpeg" : "bmp");
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
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
