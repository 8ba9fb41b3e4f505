package io.ibreid.data.training;

import io.ibreid.core.IbreidException;
import io.ibreid.core.data.DataContext;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.data.regdb.RegDb;
import io.ibreid.data.sysu.SysuMm01;
import io.ibreid.data.synthetic.SyntheticGenerator;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import java.io.IOException;
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
    /** Training identities to generate. */
    public int ids = 150;
    /** Test identities to generate. */
    public int testIds = 80;
    /** Generated image height in pixels (the network input size is {@code input.height}). */
    public int height = 128;
    /** Generated image width in pixels. */
    public int width = 64;
    /** Images per identity and camera (SYSU layout; 0 = 4) or per identity and modality (RegDB layout; 0 = 10). */
    public int images = 0;
    /** Probability that an identity passes a given camera (SYSU layout). */
    public double cameraPresence = 0.75;
    /** Generator seed (independent of the run seed: runs with different seeds share one data set). */
    public long generatorSeed = 1;
    /** RegDB layout only: the trial 1..10. */
    public int trial = 1;

    /** The generator spec these params ask for. */
    public SyntheticGenerator.Spec spec(Layout layout) {
      int n = images > 0 ? images : SyntheticGenerator.Spec.defaults(layout).images();
      return new SyntheticGenerator.Spec(layout, ids, testIds, height, width, n, cameraPresence, generatorSeed);
    }
  }

  /** Generates the data set at {@code root} unless one is already there. */
  public static void ensure(Path root, SyntheticGenerator.Spec spec, int workers) {
    if (Files.exists(root) && !isEmptyFolder(root)) {
      Path recorded = root.resolve(SyntheticGenerator.SPEC_FILE);
      if (Files.isRegularFile(recorded)) {
        try {
          String was = Files.readString(recorded, StandardCharsets.UTF_8);
          if (!was.equals(spec.describe())) {
            LOG.warn("{} holds a synthetic data set generated with other parameters ({}); using it as it is. "
                + "Delete the folder to regenerate with {}", root, was.strip().replace('\n', ' '),
                spec.describe().strip().replace('\n', ' '));
          }
        } catch (IOException e) {
          LOG.warn("cannot read {}: {}", recorded, e.getMessage());
        }
      }
      return;
    }
    LOG.info("no data set at {}: generating a synthetic {} data set there", root, spec.layout().label());
    try {
      SyntheticGenerator.generate(spec, root, Math.max(1, workers));
    } catch (IbreidException e) {
      // another process may have generated it meanwhile
      if (!(Files.exists(root) && !isEmptyFolder(root))) {
        throw e;
      }
      LOG.info("{} was generated concurrently; using it", root);
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
      ensure(context.root(), params.spec(Layout.SYSU), context.workers());
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
      ensure(context.root(), params.spec(Layout.REGDB), context.workers());
      RegDb data = RegDb.open(context.root(), new RegDb.Options(params.trial, params.holdout, params.holdoutSeed,
          params.skipCorrupt, Math.max(1, context.workers())));
      return RegdbDataset.trainingSet(data, params, context, "synthetic-regdb");
    }
  }
}
