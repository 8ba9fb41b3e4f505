package io.ibreid.data.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.data.DataContext;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.data.Fixtures;
import io.ibreid.data.LabelledSplit;
import io.ibreid.data.augment.AugmentSettings;
import io.ibreid.data.image.Normalisation;
import io.ibreid.data.synthetic.SyntheticGenerator;
import io.ibreid.data.sysu.SysuMm01;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class CrossModalTrainingSetTest {
  private static final ImageShape SHAPE = ImageShape.rgb(24, 12);
  private static final AugmentSettings AUGMENT = new AugmentSettings(0.5, 2, 0.5, 0.02, 0.4, 0.3);

  @TempDir
  static Path dir;

  static Path root;

  @BeforeAll
  static void generate() {
    root = dir.resolve("sysu");
    SyntheticGenerator.generate(SyntheticGenerator.Spec.of(SyntheticGenerator.Layout.SYSU, 8, 3, 32, 16, 3, 0.75,
        2), root, 2);
  }

  private static DataContext context(int p, int k, int workers) {
    return new DataContext(root, SHAPE, p, k, 7, workers);
  }

  private static CrossModalTrainingSet open(SysuMm01 data, int workers, AugmentSettings augment) {
    return new CrossModalTrainingSet("test", data.train(), context(4, 4, workers), augment, 0);
  }

  private static SysuMm01 data() {
    return SysuMm01.open(root, SysuMm01.Options.defaults());
  }

  private static List<CrossModalBatch> drain(Iterator<CrossModalBatch> it) {
    List<CrossModalBatch> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static void assertSame(CrossModalBatch a, CrossModalBatch b) {
    assertThat(a.visibleLabels()).containsExactly(b.visibleLabels());
    assertThat(a.infraredLabels()).containsExactly(b.infraredLabels());
    assertThat(a.visible().data().asFloat()).containsExactly(b.visible().data().asFloat());
    assertThat(a.infrared().data().asFloat()).containsExactly(b.infrared().data().asFloat());
  }

  @Test
  void batchesHoldPIdentitiesTimesKImagesPairedRowByRow() {
    SysuMm01 data = data();
    try (CrossModalTrainingSet set = open(data, 2, AUGMENT)) {
      assertThat(set.numClasses()).isEqualTo(8);
      assertThat(set.imageShape()).isEqualTo(SHAPE);
      List<CrossModalBatch> batches = drain(set.epoch(0, 0));
      assertThat(batches).hasSize(set.batchesPerEpoch());
      for (CrossModalBatch b : batches) {
        // P = 4 identities x K = 4 images: 8 visible + 8 infrared, rows paired
        assertThat(b.visible().shape()).containsExactly(8, 3, 24, 12);
        assertThat(b.infrared().shape()).containsExactly(8, 3, 24, 12);
        assertThat(b.visible().dataType()).isEqualTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        assertThat(b.visibleLabels()).containsExactly(b.infraredLabels());
        Set<Integer> ids = new HashSet<>();
        for (int p = 0; p < 4; p++) {
          assertThat(b.visibleLabels()[2 * p]).isEqualTo(b.visibleLabels()[2 * p + 1]);
          ids.add(b.visibleLabels()[2 * p]);
        }
        assertThat(ids).hasSize(4).allMatch(l -> l >= 0 && l < 8);
      }
    }
  }

  @Test
  void visibleHalfHoldsVisibleImagesAndInfraredHalfInfraredOnes() {
    SysuMm01 data = data();
    try (CrossModalTrainingSet set = open(data, 0, AugmentSettings.none())) {
      for (CrossModalBatch b : drain(set.epoch(0, 0))) {
        for (int row = 0; row < b.pairs(); row++) {
          assertThat(channelSpread(b.infrared(), row)).as("infrared row %d is grey", row).isLessThan(1e-4);
          assertThat(channelSpread(b.visible(), row)).as("visible row %d is coloured", row).isGreaterThan(0.02);
        }
      }
      // the plan's indices point at records of the right modality
      for (var plan : set.sampler().plan(3)) {
        for (int row = 0; row < plan.labels().length; row++) {
          assertThat(set.split().records().get(plan.visible()[row]).modality()).isEqualTo(View.VISIBLE);
          assertThat(set.split().records().get(plan.infrared()[row]).modality()).isEqualTo(View.INFRARED);
          assertThat(set.split().label(set.split().records().get(plan.visible()[row]).pid()))
              .isEqualTo(plan.labels()[row]);
        }
      }
    }
  }

  /** Largest difference between the un-normalised channels of one image of a batch. */
  private static double channelSpread(INDArray batch, int row) {
    INDArray img = batch.get(NDArrayIndex.point(row)).dup();
    float[][] raw = new float[3][];
    for (int c = 0; c < 3; c++) {
      raw[c] = img.get(NDArrayIndex.point(c)).dup().reshape(-1).toFloatVector();
      for (int i = 0; i < raw[c].length; i++) {
        raw[c][i] = raw[c][i] * Normalisation.STD[c] + Normalisation.MEAN[c];
      }
    }
    double max = 0;
    for (int i = 0; i < raw[0].length; i++) {
      max = Math.max(max, Math.max(Math.abs(raw[0][i] - raw[1][i]), Math.abs(raw[0][i] - raw[2][i])));
    }
    return max;
  }

  @Test
  void epochLengthCoversTheLargerModalityOnce() {
    SysuMm01 data = data();
    try (CrossModalTrainingSet set = open(data, 0, AUGMENT)) {
      long nv = data.train().count(View.VISIBLE);
      long ni = data.train().count(View.INFRARED);
      assertThat(set.batchesPerEpoch()).isEqualTo((int) ((Math.max(nv, ni) + 7) / 8));
    }
  }

  @Test
  void startingMidEpochYieldsExactlyTheTailOfTheFullEpoch() {
    SysuMm01 data = data();
    try (CrossModalTrainingSet threaded = open(data, 2, AUGMENT);
        CrossModalTrainingSet inline = open(data, 0, AUGMENT)) {
      List<CrossModalBatch> full = drain(threaded.epoch(1, 0));
      int n = full.size();
      assertThat(n).isGreaterThan(3);
      for (int from : new int[] {1, n / 2, n - 1, n}) {
        List<CrossModalBatch> tail = drain(threaded.epoch(1, from));
        assertThat(tail).hasSize(n - from);
        for (int i = 0; i < tail.size(); i++) {
          assertSame(tail.get(i), full.get(from + i));
        }
      }
      // the same batches without loader threads, from a fresh instance
      List<CrossModalBatch> again = drain(inline.epoch(1, n / 2));
      for (int i = 0; i < again.size(); i++) {
        assertSame(again.get(i), full.get(n / 2 + i));
      }
      assertSame(inline.batch(1, 2), full.get(2));
      // another epoch draws other batches
      CrossModalBatch other = threaded.epoch(2, 0).next();
      assertThat(other.visible().data().asFloat()).isNotEqualTo(full.get(0).visible().data().asFloat());
    }
  }

  @Test
  void noIdentityLeaksBetweenTrainingHoldoutAndTest() {
    SysuMm01 data = SysuMm01.open(root, new SysuMm01.Options(2, 3, false, 1));
    LabelledSplit train = data.train();
    Set<Integer> trainIds = new HashSet<>(train.pids());
    assertThat(trainIds).hasSize(6).doesNotContainAnyElementsOf(data.testIds())
        .doesNotContainAnyElementsOf(data.holdoutIds());
    assertThat(data.holdoutIds()).hasSize(2).doesNotContainAnyElementsOf(data.testIds());
    try (CrossModalTrainingSet set = new CrossModalTrainingSet("t", train, context(3, 2, 1), AUGMENT, 0)) {
      for (CrossModalBatch b : drain(set.epoch(0, 0))) {
        for (int label : b.visibleLabels()) {
          assertThat(trainIds).contains(train.pid(label));
        }
      }
    }
  }

  @Test
  void closeStopsTheLoaderThreads() throws Exception {
    CrossModalTrainingSet set = open(data(), 2, AUGMENT);
    Iterator<CrossModalBatch> it = set.epoch(0, 0);
    it.next();
    assertThat(loaderThreads()).isNotEmpty();
    set.close();
    for (int i = 0; i < 100 && !loaderThreads().isEmpty(); i++) {
      Thread.sleep(50);
    }
    assertThat(loaderThreads()).isEmpty();
    assertThatThrownBy(() -> set.epoch(0, 0)).isInstanceOf(IllegalStateException.class);
  }

  private static List<Thread> loaderThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("ibreid-data-") && t.isAlive()).toList();
  }

  @Test
  void aCorruptImageStopsTheIterationWithOneLineNamingIt() throws Exception {
    Map<Integer, List<Integer>> cams = new TreeMap<>();
    for (int id = 1; id <= 3; id++) {
      cams.put(id, List.of(1, 3));
    }
    Path fixture = Fixtures.sysu(dir.resolve("corrupt"), List.of(1, 2), List.of(3), List.of(1000), Map.of(), 1);
    cams.forEach((id, cs) -> cs.forEach(c -> Fixtures.write(fixture.resolve(String.format("cam%d/%04d/0001.jpg", c,
        id)), 16, 8, id * 10 + c)));
    Fixtures.write(fixture.resolve("cam1/1000/0001.jpg"), 16, 8, 1);
    Fixtures.write(fixture.resolve("cam6/0002/0001.jpg"), 16, 8, 99); // identity 2 keeps an infrared image
    Path bad = fixture.resolve("cam3/0002/0001.jpg");
    byte[] b = Files.readAllBytes(bad);
    Files.write(bad, java.util.Arrays.copyOf(b, b.length / 2));
    SysuMm01 data = SysuMm01.open(fixture, SysuMm01.Options.defaults());
    DataContext ctx = new DataContext(fixture, SHAPE, 3, 2, 1, 2);
    try (TrainingSet set = new CrossModalTrainingSet("fixture", data.train(), ctx, AUGMENT, 0)) {
      IbreidException e = catchThrowableOfType(IbreidException.class, () -> drain(set.epoch(0, 0)));
      // the one line names the file and the remedies: skip corrupt images, or find them all with the doctor
      assertThat(Fixtures.oneLineNaming(e, bad)).contains("corrupt").contains("data.params.skipCorrupt: true")
          .contains("ibreid doctor --dataset TYPE --root DIR --decode");
    }
    // with skipCorrupt the file is dropped when the data set opens and every batch decodes
    SysuMm01 skipping = SysuMm01.open(fixture, new SysuMm01.Options(0, 1, true, 1));
    assertThat(skipping.train().records()).noneMatch(r -> r.path().equals(bad));
    try (TrainingSet set = new CrossModalTrainingSet("fixture", skipping.train(), ctx, AUGMENT, 0)) {
      assertThat(drain(set.epoch(0, 0))).isNotEmpty();
    }
  }

  @Test
  void samplerSettingsThatCannotWorkAreRejected() {
    LabelledSplit train = data().train();
    IbreidException odd = catchThrowableOfType(IbreidException.class,
        () -> new CrossModalTrainingSet("t", train, context(4, 3, 0), AUGMENT, 0));
    assertThat(odd.getMessage()).contains("sampler.instances = 3").contains("even");
    IbreidException many = catchThrowableOfType(IbreidException.class,
        () -> new CrossModalTrainingSet("t", train, context(9, 4, 0), AUGMENT, 0));
    assertThat(many.getMessage()).contains("sampler.identities = 9").contains("1..8");
  }
}
