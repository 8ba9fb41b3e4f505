package io.ibreid.cli;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.regdb.RegDb;
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
@Command(name = "synth", description = "Generate a synthetic cross-modal Re-ID data set in the SYSU-MM01 (JPG) or "
    + "RegDB (BMP) layout; the same seed writes byte-identical files.")
final class SynthCommand implements Callable<Integer> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)[xX](\\d+)");

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--layout", required = true, paramLabel = "sysu|regdb", description = "Folder layout to write.")
  String layout;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (new or empty).")
  Path out;

  @Option(names = "--ids", defaultValue = "150", paramLabel = "N", description = "Training identities (default: "
      + "${DEFAULT-VALUE}).")
  int ids;

  @Option(names = "--test-ids", defaultValue = "80", paramLabel = "N", description = "Test identities (default: "
      + "${DEFAULT-VALUE}).")
  int testIds;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Generator seed (default: "
      + "${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--size", defaultValue = "128x64", paramLabel = "HxW", description = "Image size in pixels "
      + "(default: ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--images", paramLabel = "N", description = "Images per identity and camera (sysu, default 4) or "
      + "per identity and modality (regdb, default 10).")
  Integer images;

  @Option(names = "--camera-presence", defaultValue = "0.75", paramLabel = "P", description = "sysu: probability "
      + "that an identity passes a camera (default: ${DEFAULT-VALUE}).")
  double cameraPresence;

  @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Threads (default: "
      + "${DEFAULT-VALUE}).")
  int workers;

  @Override
  public Integer call() {
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
    int n = images != null ? images : SyntheticGenerator.Spec.defaults(l).images();
    SyntheticGenerator.Spec s = new SyntheticGenerator.Spec(l, ids, testIds, height, width, n, cameraPresence, seed);
    SyntheticGenerator.Summary sum = SyntheticGenerator.generate(s, out, workers);
    PrintWriter o = spec.commandLine().getOut();
    String format = l == Layout.SYSU ? "JPG" : "BMP";
    o.printf("wrote a synthetic %s data set to %s (seed %d, %dx%d %s, %d images, %.1f s)%n",
        l == Layout.SYSU ? "SYSU-MM01" : "RegDB", sum.root(), seed, height, width, format, sum.images(),
        sum.seconds());
    if (l == Layout.SYSU) {
      SysuMm01 data = SysuMm01.open(sum.root(), SysuMm01.Options.defaults());
      o.printf("  training ids %d (exp/train_id.txt + exp/val_id.txt): %d visible + %d infrared images%n",
          data.train().numClasses(), data.train().count(View.VISIBLE), data.train().count(View.INFRARED));
      List<ImageRecord> test = data.testRecords();
      o.printf("  test ids     %d (exp/test_id.txt): %d visible (cams 1,2,4,5) + %d infrared (cams 3,6) images%n",
          data.testIds().size(), count(test, View.VISIBLE), count(test, View.INFRARED));
    } else {
      o.printf("  persons %d, %d visible + %d thermal images each; 10 trials in idx/%n", ids + testIds, n, n);
      RegDb data = RegDb.open(sum.root(), RegDb.Options.trial(1));
      o.printf("  trial 1: training ids %d (%d visible + %d thermal images), test ids %d (%d visible + %d thermal)"
          + "%n", data.train().numClasses(), data.train().count(View.VISIBLE), data.train().count(View.INFRARED),
          data.testIds().size(), data.testVisible().size(), data.testThermal().size());
    }
    o.flush();
    return 0;
  }

  private static long count(List<ImageRecord> records, View modality) {
    return records.stream().filter(r -> r.modality() == modality).count();
  }
}
