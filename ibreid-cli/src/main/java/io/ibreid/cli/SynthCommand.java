package io.ibreid.cli;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.regdb.RegDb;
import io.ibreid.data.synthetic.Difficulty;
import io.ibreid.data.synthetic.FactorFile;
import io.ibreid.data.synthetic.SyntheticGenerator;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.sysu.SysuMm01;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibreid synth}: writes a synthetic cross-modal data set in the SYSU-MM01 (JPG) or RegDB (BMP) layout, reads
 * it back with the matching reader and prints the counts.
 */
@Command(name = "synth", description = "Generate the synthetic cross-modal Re-ID lab in the SYSU-MM01 (JPG) or "
    + "RegDB (BMP) layout, with a factor file (factors.csv) giving every image's factors; the same seed writes "
    + "byte-identical files.")
final class SynthCommand implements Callable<Integer> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)[xX](\\d+)");

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--layout", required = true, paramLabel = "sysu|regdb", description = "Folder layout to write.")
  String layout;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (new or empty).")
  Path out;

  @Option(names = "--ids", paramLabel = "N", description = "Training identities (default: 395 sysu, 206 regdb).")
  Integer ids;

  @Option(names = "--test-ids", paramLabel = "N", description = "Test identities (default: 96 sysu, 206 regdb).")
  Integer testIds;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Generator seed (default: "
      + "${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--size", defaultValue = "128x64", paramLabel = "HxW", description = "Image size in pixels "
      + "(default: ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--visible-images", paramLabel = "N", description = "sysu: visible images per identity, spread "
      + "over the visible cameras it passes (default 20).")
  Integer visibleImages;

  @Option(names = "--infrared-images", paramLabel = "N", description = "sysu: infrared images per identity "
      + "(default 10).")
  Integer infraredImages;

  @Option(names = "--images", paramLabel = "N", description = "regdb: images per identity and modality (default "
      + "10); sysu: N per camera, i.e. 4N visible and 2N infrared per identity (the first generator's count).")
  Integer images;

  @Option(names = "--camera-presence", paramLabel = "P", description = "sysu: probability that an identity passes "
      + "a camera (default: 0.75).")
  Double cameraPresence;

  @Option(names = "--subset", defaultValue = "0", paramLabel = "N", description = "sysu: write only N of the "
      + "training identities (a seeded choice, images identical to the full set's) and every test identity; 0 = "
      + "all (default).")
  int subset;

  @Option(names = "--contrast", paramLabel = "C", description = "Difficulty: least contrast between the two tones "
      + "of a patterned garment, in luminance and in heat (default: 0.25).")
  Double contrast;

  @Option(names = "--nuisance", paramLabel = "A", description = "Difficulty: scale of every per-image jitter, 0..2 "
      + "(default: 1).")
  Double nuisance;

  @Option(names = "--occlusion", paramLabel = "P", description = "Difficulty: probability of an occluder "
      + "(default: 0.2).")
  Double occlusion;

  @Option(names = "--places", paramLabel = "N", description = "Difficulty: background places (default: 8).")
  Integer places;

  @Option(names = "--correlation", paramLabel = "P", description = "sysu: probability that a training identity's "
      + "image shows its preferred place (nuisance correlated with identity in training only; default: 0).")
  Double correlation;

  @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Threads (default: "
      + "${DEFAULT-VALUE}).")
  int workers;

  @Override
  public Integer call() {
    Bounds.check("--workers", workers, 1, Bounds.MAX_THREADS);
    Layout l = Layout.fromLabel(layout);
    if (l == null) {
      throw new IbreidException("--layout '" + layout + "' is unknown; expected sysu or regdb");
    }
    Matcher m = SIZE.matcher(size.strip());
    if (!m.matches()) {
      throw new IbreidException("--size '" + size + "' is not HxW; expected e.g. 128x64");
    }
    int height;
    int width;
    try {
      height = Integer.parseInt(m.group(1));
      width = Integer.parseInt(m.group(2));
    } catch (NumberFormatException e) {
      throw new IbreidException("--size '" + size + "' is out of range; expected e.g. 128x64");
    }
    if (l == Layout.REGDB && (visibleImages != null || infraredImages != null)) {
      throw new IbreidException("--visible-images and --infrared-images are for --layout sysu; regdb takes "
          + "--images (per modality)");
    }
    if (images != null && (visibleImages != null || infraredImages != null)) {
      throw new IbreidException("--images and --visible-images/--infrared-images are two ways to say the same; "
          + "give one");
    }
    SyntheticGenerator.Spec d = SyntheticGenerator.Spec.defaults(l);
    Difficulty dd = Difficulty.DEFAULT;
    Difficulty difficulty = new Difficulty(contrast != null ? contrast : dd.contrast(),
        nuisance != null ? nuisance : dd.nuisance(), occlusion != null ? occlusion : dd.occlusion(),
        places != null ? places : dd.places(), correlation != null ? correlation : dd.correlation());
    int train = ids != null ? ids : d.trainIds();
    int test = testIds != null ? testIds : d.testIds();
    double presence = cameraPresence != null ? cameraPresence : d.cameraPresence();
    SyntheticGenerator.Spec s;
    if (images != null) {
      s = SyntheticGenerator.Spec.of(l, train, test, height, width, images, presence, seed);
    } else {
      s = d.withIds(train, test).withSize(height, width).withCameraPresence(presence).withSeed(seed)
          .withImages(visibleImages != null ? visibleImages : d.visibleImages(),
              infraredImages != null ? infraredImages : d.infraredImages());
    }
    s = s.withDifficulty(difficulty).withSubset(subset);
    SyntheticGenerator.Summary sum = SyntheticGenerator.generate(s, out, workers);
    PrintWriter o = spec.commandLine().getOut();
    String format = l == Layout.SYSU ? "JPG" : "BMP";
    o.printf("wrote a synthetic %s data set to %s (generator version %d, seed %d, %dx%d %s, %d images, %.1f s)%n",
        l == Layout.SYSU ? "SYSU-MM01" : "RegDB", sum.root(), SyntheticGenerator.VERSION, seed, height, width, format,
        sum.images(), sum.seconds());
    if (l == Layout.SYSU) {
      SysuMm01 data = SysuMm01.open(sum.root(), SysuMm01.Options.defaults());
      o.printf("  training ids %d (exp/train_id.txt + exp/val_id.txt): %d visible + %d infrared images%s%n",
          data.train().numClasses(), data.train().count(View.VISIBLE), data.train().count(View.INFRARED),
          subset > 0 ? " (subset " + subset + " of " + train + ")" : "");
      List<ImageRecord> test2 = data.testRecords();
      o.printf("  test ids     %d (exp/test_id.txt): %d visible (cams 1,2,4,5) + %d infrared (cams 3,6) images%n",
          data.testIds().size(), count(test2, View.VISIBLE), count(test2, View.INFRARED));
    } else {
      o.printf("  persons %d, %d visible + %d thermal images each; 10 trials in idx/%n", train + test,
          s.visibleImages(), s.infraredImages());
      RegDb data = RegDb.open(sum.root(), RegDb.Options.trial(1));
      o.printf("  trial 1: training ids %d (%d visible + %d thermal images), test ids %d (%d visible + %d thermal)"
          + "%n", data.train().numClasses(), data.train().count(View.VISIBLE), data.train().count(View.INFRARED),
          data.testIds().size(), data.testVisible().size(), data.testThermal().size());
    }
    o.printf("  factors of every image in %s (one row per image; columns in reid-data/README.md)%n",
        sum.root().resolve(FactorFile.NAME));
    o.flush();
    return 0;
  }

  private static long count(List<ImageRecord> records, View modality) {
    return records.stream().filter(r -> r.modality() == modality).count();
  }
}
