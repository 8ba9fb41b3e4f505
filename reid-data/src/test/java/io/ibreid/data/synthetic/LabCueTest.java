package io.ibreid.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.branch.View;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.image.FloatImage;
import io.ibreid.data.image.ImageFiles;
import io.ibreid.data.image.Pixels;
import io.ibreid.data.image.Resize;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.synthetic.SyntheticGenerator.Spec;
import io.ibreid.data.sysu.SysuMm01;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's cue design, measured on the default data set's 96 test identities (written by the default spec with
 * {@code subset} 2: the same identities and byte-identical images as the full set's test split; 2,880 test images
 * at 64x32) with the hand-made descriptors of {@link CueDescriptors} and 1-nearest-neighbour (chance 1/96):
 * <ul>
 *   <li>the shared cues are sufficient in principle: the shape descriptor finds the right person across modalities
 *       (infrared query, visible gallery) for at least half of the queries;
 *   <li>colour is a strong shortcut within visible cameras (well above the shared descriptor) and useless across
 *       modalities (at chance);
 *   <li>heat levels identify people within infrared cameras and are useless across modalities.
 * </ul>
 * The thresholds were set before the figures were measured: the 50 %; "well above" = at least 0.75 and at
 * least 15 points above the shared descriptor; "chance" = at most 3 x 1/96; heat within infrared at least 0.30.
 * (Measured 2026-12-04: shared 0.566; colour 0.833 visible→visible, 0.010 infrared→visible; heat 0.470
 * infrared→infrared, 0.020 infrared→visible.)
 */
class LabCueTest {
  private static final Logger LOG = LoggerFactory.getLogger(LabCueTest.class);
  private static final double CHANCE = 1.0 / 96;

  @TempDir
  static Path dir;

  private static final List<ImageRecord> records = new ArrayList<>();
  private static final List<FloatImage> images = new ArrayList<>();
  private static SysuMm01 data;
  private static Path root;

  @BeforeAll
  static void generateTheDefaultTestIdentities() {
    root = dir.resolve("lab");
    SyntheticGenerator.generate(Spec.defaults(Layout.SYSU).withSubset(2), root, 2);
    data = SysuMm01.open(root, SysuMm01.Options.defaults());
    for (ImageRecord r : data.testRecords()) {
      records.add(r);
      images.add(Resize.resize(Pixels.toFloat(ImageFiles.decode(r.path())), 64, 32));
    }
  }

  private static final Map<String, List<double[]>> cache = new HashMap<>();

  private static synchronized List<double[]> descriptors(String name, Function<FloatImage, double[]> d,
      boolean mirror) {
    return cache.computeIfAbsent(name + (mirror ? "/mirror" : ""), k -> images.stream()
        .map(i -> d.apply(mirror ? CueDescriptors.mirror(i) : i)).toList());
  }

  private static CueDescriptors.Rank1 rank1(String name, Function<FloatImage, double[]> d, boolean mirror,
      View query, View gallery) {
    return CueDescriptors.rank1(records, descriptors(name, d, false), mirror ? descriptors(name, d, true) : null,
        query, gallery);
  }

  /** The three pairs (visible->visible, infrared->infrared, infrared->visible) of a descriptor, for the log. */
  private static String all(String name, Function<FloatImage, double[]> d, boolean mirror) {
    return fmt("visible->visible", rank1(name, d, mirror, View.VISIBLE, View.VISIBLE)) + ", "
        + fmt("infrared->infrared", rank1(name, d, mirror, View.INFRARED, View.INFRARED)) + ", "
        + fmt("infrared->visible", rank1(name, d, mirror, View.INFRARED, View.VISIBLE));
  }

  private static String fmt(String what, CueDescriptors.Rank1 r) {
    return String.format(Locale.ROOT, "%s %.3f (%d queries)", what, r.value(), r.queries());
  }

  @Test
  void theSetHoldsTheDefaultTestSplit() {
    assertThat(data.testIds()).hasSize(96);
    assertThat(records).hasSize(96 * 30);
    assertThat(records.stream().filter(r -> r.modality() == View.INFRARED)).hasSize(96 * 10);
  }

  @Test
  void sharedCuesFindTheRightPersonAcrossModalitiesForHalfTheQueries() {
    CueDescriptors.Rank1 cross = rank1("shared", CueDescriptors::shared, true, View.INFRARED, View.VISIBLE);
    LOG.info("shared-cue descriptor 1-NN rank-1: {}; chance {}", all("shared", CueDescriptors::shared, true),
        String.format("%.4f", CHANCE));
    assertThat(cross.queries()).isEqualTo(960);
    assertThat(cross.value()).isGreaterThanOrEqualTo(0.50);
  }

  @Test
  void colourIsAStrongShortcutWithinVisibleAndUselessAcrossModalities() {
    CueDescriptors.Rank1 within = rank1("colour", CueDescriptors::colour, false, View.VISIBLE, View.VISIBLE);
    CueDescriptors.Rank1 cross = rank1("colour", CueDescriptors::colour, false, View.INFRARED, View.VISIBLE);
    CueDescriptors.Rank1 shared = rank1("shared", CueDescriptors::shared, true, View.INFRARED, View.VISIBLE);
    LOG.info("colour descriptor 1-NN rank-1: {}", all("colour", CueDescriptors::colour, false));
    assertThat(within.value()).isGreaterThanOrEqualTo(0.75).isGreaterThanOrEqualTo(shared.value() + 0.15);
    assertThat(cross.value()).isLessThanOrEqualTo(3 * CHANCE);
  }

  @Test
  void heatLevelsIdentifyWithinInfraredAndNotAcrossModalities() {
    CueDescriptors.Rank1 within = rank1("heat", CueDescriptors::heat, false, View.INFRARED, View.INFRARED);
    CueDescriptors.Rank1 cross = rank1("heat", CueDescriptors::heat, false, View.INFRARED, View.VISIBLE);
    LOG.info("heat descriptor 1-NN rank-1: {}", all("heat", CueDescriptors::heat, false));
    assertThat(within.value()).isGreaterThanOrEqualTo(0.30);
    assertThat(cross.value()).isLessThanOrEqualTo(3 * CHANCE);
  }

  /** (a) of the issue, on the factor file: any two test identities differ in at least two shared-code fields. */
  @Test
  void anyTwoTestIdentitiesDifferInAtLeastTwoSharedCodeFields() {
    Map<Integer, int[]> codes = new HashMap<>();
    for (FactorFile.Row row : FactorFile.read(root)) {
      int[] code = row.person().shape().code();
      int[] before = codes.putIfAbsent(row.pid(), code);
      if (before != null) {
        assertThat(code).as("identity %d has one code in every row", row.pid()).isEqualTo(before);
      }
    }
    List<Integer> test = new ArrayList<>(data.testIds());
    int least = Integer.MAX_VALUE;
    for (int a = 0; a < test.size(); a++) {
      for (int b = a + 1; b < test.size(); b++) {
        least = Math.min(least, Person.distance(codes.get(test.get(a)), codes.get(test.get(b))));
      }
    }
    LOG.info("least shared-code distance between two test identities: {} fields", least);
    assertThat(least).isGreaterThanOrEqualTo(Population.TEST_MARGIN);
  }
}
