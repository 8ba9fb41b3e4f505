package io.ibreid.data.training;

import io.ibreid.core.IbreidException;
import io.ibreid.core.data.DataContext;
import io.ibreid.core.data.DataLog;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.data.regdb.RegDb;
import io.ibreid.data.sysu.SysuMm01;
import io.ibreid.data.synthetic.Difficulty;
import io.ibreid.data.synthetic.SyntheticGenerator;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default data sets ({@code data.type: synthetic-sysu} and {@code synthetic-regdb}): when
 * {@code data.root} does not exist or is an empty folder, a synthetic data set is generated there first (into a
 * hidden sibling, renamed when complete), then it is read with the SYSU-MM01 or RegDB reader like a real one. An
 * existing data set at the root is used as it is; if it was generated with other parameters, a warning says so.
 */
public final class SyntheticDataset {
  private static final Logger LOG = LoggerFactory.getLogger(SyntheticDataset.class);

  private SyntheticDataset() {}

  /** {@code data.params} of the synthetic data sets: what to generate, plus the {@link DatasetParams}. */
  public static class Params extends DatasetParams {
    /** Training identities to generate (SYSU: train + val lists; 0 = the layout's default, 395 or 206). */
    public int ids = 0;
    /** Test identities to generate (0 = the layout's default, 96 or 206). */
    public int testIds = 0;
    /** Generated image height in pixels (the network input size is {@code input.height}). */
    public int height = 128;
    /** Generated image width in pixels. */
    public int width = 64;
    /** Visible images per identity (0 = the layout's default: 20 SYSU, 10 RegDB). */
    public int visibleImages = 0;
    /** Infrared images per identity (0 = the layout's default: 10). */
    public int infraredImages = 0;
    /**
     * The first generator's count, kept for old configs: images per identity and camera (SYSU: 4x visible and 2x
     * infrared per identity) or per modality (RegDB); 0 = use visibleImages / infraredImages.
     */
    public int images = 0;
    /** Probability that an identity passes a given camera (SYSU layout). */
    public double cameraPresence = 0.75;
    /** Generator seed (independent of the run seed: runs with different seeds share one data set). */
    public long generatorSeed = 1;
    /** Difficulty: least contrast between the two tones of a patterned garment (the shared cues' strength). */
    public double contrast = Difficulty.DEFAULT.contrast();
    /** Difficulty: scale of every per-image jitter (1 = default). */
    public double nuisance = Difficulty.DEFAULT.nuisance();
    /** Difficulty: probability of an occluder. */
    public double occlusion = Difficulty.DEFAULT.occlusion();
    /** Difficulty: background places. */
    public int places = Difficulty.DEFAULT.places();
    /** Difficulty: probability that a training identity's image shows its preferred place (SYSU). */
    public double correlation = Difficulty.DEFAULT.correlation();
    /** SYSU: write only this many training identities (0 = all); the test identities are always all written. */
    public int subset = 0;
    /** RegDB layout only: the trial 1..10. */
    public int trial = 1;

    /** The generator spec these params ask for. */
    public SyntheticGenerator.Spec spec(Layout layout) {
      SyntheticGenerator.Spec d = SyntheticGenerator.Spec.defaults(layout);
      int train = ids > 0 ? ids : d.trainIds();
      int test = testIds > 0 ? testIds : d.testIds();
      int vis;
      int ir;
      if (images > 0) {
        SyntheticGenerator.Spec old = SyntheticGenerator.Spec.of(layout, train, test, height, width, images,
            cameraPresence, generatorSeed);
        vis = old.visibleImages();
        ir = old.infraredImages();
      } else {
        vis = visibleImages > 0 ? visibleImages : d.visibleImages();
        ir = infraredImages > 0 ? infraredImages : layout == Layout.REGDB ? vis : d.infraredImages();
      }
      return new SyntheticGenerator.Spec(layout, train, test, height, width, vis, ir, cameraPresence,
          generatorSeed, new Difficulty(contrast, nuisance, occlusion, places, correlation), subset);
    }
  }

  /** Generates the data set at {@code root} unless one is already there. */
  public static void ensure(Path root, SyntheticGenerator.Spec spec, int workers) {
    ensure(root, spec, workers, DataLog.NONE);
  }

  /**
   * Generates the data set at {@code root} unless one is already there, saying so (and how far generation has come)
   * to {@code log} as well as to SLF4J, from the first moment: a large lab takes a while.
   */
  public static void ensure(Path root, SyntheticGenerator.Spec spec, int workers, DataLog log) {
    DataLog both = (level, message) -> {
      if (level == Level.WARNING) {
        LOG.warn(message);
      } else {
        LOG.info(message);
      }
      log.log(level, message);
    };
    if (Files.exists(root) && !isEmptyFolder(root)) {
      Path recorded = root.resolve(SyntheticGenerator.SPEC_FILE);
      if (Files.isRegularFile(recorded)) {
        try {
          String was = Files.readString(recorded, StandardCharsets.UTF_8);
          if (!was.startsWith("version=")) {
            both.log(Level.WARNING, root + " holds a synthetic data set of the first generator (no factor file; "
                + "`ibreid probe` reads identity, camera and modality only); using it as it is. Delete the folder to "
                + "regenerate it with generator version " + SyntheticGenerator.VERSION);
          } else if (!was.equals(spec.describe())) {
            both.log(Level.WARNING, root + " holds a synthetic data set generated with other parameters ("
                + was.strip().replace('\n', ' ') + "); using it as it is. Delete the folder to regenerate with "
                + spec.describe().strip().replace('\n', ' '));
          }
        } catch (IOException e) {
          both.log(Level.WARNING, "cannot read " + recorded + ": " + e.getMessage());
        }
      }
      return;
    }
    both.log(Level.INFO, "no data set at " + root + ": generating a synthetic " + spec.layout().label()
        + " data set there (" + spec.trainIds() + "+" + spec.testIds() + " identities, " + spec.visibleImages() + "+"
        + spec.infraredImages() + " images each)");
    try {
      SyntheticGenerator.generate(spec, root, Math.max(1, workers), log);
    } catch (IbreidException e) {
      // another process may have generated it meanwhile
      if (!(Files.exists(root) && !isEmptyFolder(root))) {
        throw e;
      }
      both.log(Level.INFO, root + " was generated concurrently; using it");
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

  /** The {@code synthetic-sysu} plug-in. */
  public static final class SysuFactory implements DatasetFactory<Params> {
    @Override
    public String name() {
      return "synthetic-sysu";
    }

    @Override
    public String description() {
      return "synthetic cross-modal data in the SYSU-MM01 layout, generated into data.root when it is empty";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public TrainingSet open(Params params, DataContext context) {
      ensure(context.root(), params.spec(Layout.SYSU), context.workers(), context.log());
      SysuMm01 data = SysuDataset.read(params, context);
      return SysuDataset.trainingSet(data, params, context, "synthetic-sysu");
    }
  }

  /** The {@code synthetic-regdb} plug-in. */
  public static final class RegdbFactory implements DatasetFactory<Params> {
    @Override
    public String name() {
      return "synthetic-regdb";
    }

    @Override
    public String description() {
      return "synthetic cross-modal data in the RegDB layout, generated into data.root when it is empty";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public TrainingSet open(Params params, DataContext context) {
      ensure(context.root(), params.spec(Layout.REGDB), context.workers(), context.log());
      RegDb data = RegDb.open(context.root(), new RegDb.Options(params.trial, params.holdout, params.holdoutSeed,
          params.skipCorrupt, Math.max(1, context.workers())));
      return RegdbDataset.trainingSet(data, params, context, "synthetic-regdb");
    }
  }
}
