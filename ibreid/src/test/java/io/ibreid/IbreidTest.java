package io.ibreid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.core.ConfigException;
import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.UnknownPluginException;
import io.ibreid.core.train.IterationRecord;
import io.ibreid.core.train.TrainerListener;
import io.ibreid.core.train.TrainingSummary;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facade as a library user meets it: one small three-branch run trained on a generated SYSU-layout set with a
 * holdout split (shared by the tests), embedded from files and from memory, resumed; config and plug-in errors as
 * ibreid's own one-line exceptions; plug-ins registered in code.
 */
class IbreidTest {
  @TempDir
  static Path dir;
  static Path data;
  static Path run;
  static TrainResult trained;
  static final Recorder RECORDER = new Recorder();

  static String yaml(Path dataRoot, int epochs) {
    return """
        name: facade-test
        seed: 3
        data:
          type: synthetic-sysu
          root: %s
          workers: 1
          params: {ids: 8, testIds: 4, height: 32, width: 16, images: 2, cameraPresence: 1, holdout: 2}
        input: {height: 32, width: 16}
        sampler: {identities: 3, instances: 2}
        branches:
          visible:
            encoder: {type: small-resnet, params: {width: 4, stages: [1], observationSize: 8}}
            bottleneck: {type: mlp, params: {dim: 4, hidden: []}}
          infrared:
            encoder: {type: small-resnet, params: {width: 4, stages: [1], observationSize: 8}}
            bottleneck: {type: mlp, params: {dim: 4, hidden: []}}
          shared:
            encoder: {type: small-resnet, params: {width: 4, stages: [1], observationSize: 8}}
            bottleneck: {type: mlp, params: {dim: 4, hidden: []}}
        losses:
          - {type: ce, branch: visible}
          - {type: ce, branch: infrared}
          - {type: ce, branch: shared}
          - {type: vsd, branch: visible}
        schedule: {epochs: %d, batchesPerEpoch: 2}
        log: {everyIterations: 1}
        """.formatted(dataRoot, epochs);
  }

  /** Records what a listener sees. */
  static final class Recorder implements TrainerListener {
    final List<String> events = new ArrayList<>();
    final List<String> lines = new ArrayList<>();

    @Override
    public void onStart(long startIteration, long totalIterations, String description) {
      events.add("start " + startIteration + "/" + totalIterations);
    }

    @Override
    public void onIteration(IterationRecord record) {
      events.add("iteration " + record.iteration());
    }

    @Override
    public void onValidation(int epoch, Map<String, Double> scores) {
      events.add("validation " + epoch);
    }

    @Override
    public void onFinish(TrainingSummary summary) {
      events.add("finish " + summary.iterations());
    }

    @Override
    public void onLog(Level level, String message) {
      lines.add(message);
    }
  }

  @BeforeAll
  static void trainOnce() throws IOException {
    data = dir.resolve("sysu");
    run = dir.resolve("run");
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, yaml(data, 2));
    trained = Ibreid.train(config, run, TrainOptions.defaults().withListener(RECORDER));
  }

  @Test
  void trainsWithHoldoutValidationTheBestCheckpointTrainLogAndListeners() throws IOException {
    assertThat(trained.summary().iterations()).isEqualTo(4);
    assertThat(trained.runDirectory()).isEqualTo(run);
    assertThat(trained.checkpoint()).isEqualTo(run.resolve("checkpoints/best"));
    assertThat(trained.bestScores()).containsKeys("mAP", "rank1", "mINP");
    assertThat(trained.bestScores().get("mAP")).isBetween(0.0, 100.0);
    assertThat(RECORDER.events).containsExactly("start 0/4", "iteration 0", "iteration 1", "validation 0",
        "iteration 2", "iteration 3", "validation 1", "finish 4");
    String log = Files.readString(run.resolve("train.log"));
    assertThat(log).contains("INFO  Training facade-test for 4 iterations (2 per epoch) from iteration 0",
        "INFO  native build ", "INFO  iter 4/4 epoch 2", "INFO  validation after epoch 2: {mAP=");
    assertThat(log.lines().filter(l -> !l.isBlank()).toList())
        .as("every line of train.log is a line the listener saw, timestamped")
        .hasSize(RECORDER.lines.size())
        .allSatisfy(l -> assertThat(l).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |WARN ) .+"));
    assertThat(run.resolve("config.yaml")).isRegularFile();
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(6); // 4 steps + 2 validation records
  }

  @Test
  void theLabsGenerationReachesTheListenerAndTrainLogBeforeTrainingStarts() throws IOException {
    // the data set is opened (and the lab generated) before the run directory exists: its lines come first
    assertThat(RECORDER.lines.get(0)).isEqualTo("no data set at " + data + ": generating a synthetic sysu data set "
        + "there (8+4 identities, 8+4 images each)");
    assertThat(RECORDER.lines.get(1)).startsWith("generating 144 sysu-layout images of 8+4 identities (32x16)");
    assertThat(RECORDER.lines.get(2)).startsWith("generated 144 sysu-layout images (96 visible + 48 infrared)");
    assertThat(RECORDER.lines.get(3)).startsWith("Training facade-test for 4 iterations");
    List<String> log = Files.readAllLines(run.resolve("train.log"));
    for (int i = 0; i < 4; i++) {
      assertThat(log.get(i)).endsWith("INFO  " + RECORDER.lines.get(i));
    }
  }

  @Test
  void thePublicTypesPrintReadably() {
    assertThat(Ibreid.plugins().toString()).startsWith("Plugins[").contains("encoders: ", "fast-resnet", "small-resnet",
        "bottlenecks: ", "losses: ", "ce, ", "vcd", "vml", "vsd", "datasets: ", "synthetic-sysu").doesNotContain("@");
    assertThat(trained.toString()).startsWith("TrainResult[" + run + ": 4 iterations from 0 in ")
        .contains("; last loss ", " at iteration 3; checkpoint ", "; uses " + run.resolve("checkpoints/best")
            + ", holdout mAP ", ", rank1 ", ", mINP ").endsWith("]");
    assertThat(trained.summary().last().toString())
        .matches("iteration 3 \\(epoch 1\\) loss \\d+\\.\\d{4} \\[ce_visible=[^]]*vsd_visible=[^]]*\\] "
            + "lr \\S+ \\|g\\| \\S+ \\d+ img/s");
    assertThat(TrainOptions.defaults().withListener(RECORDER).withListener(new TrainerListener() {})
        .withPlugins(new MeanZ()).withResume(true).toString())
        .isEqualTo("TrainOptions[resume, train.log, listeners [Recorder, anonymous], plug-ins [MeanZ]]");
    assertThat(TrainOptions.defaults().withTrainLog(false).toString())
        .isEqualTo("TrainOptions[fresh run, no train.log, listeners [], plug-ins []]");
    assertThat(TrainOptions.defaults().withOverwrite(true).toString())
        .isEqualTo("TrainOptions[fresh run, overwrite, train.log, listeners [], plug-ins []]");
    assertThat(Embedder.open(run).toString()).isEqualTo("Embedder[" + run + " at checkpoints/best: 8 columns, "
        + "visible [visible.z, shared.z], infrared [infrared.z, shared.z], input 3x32x16]");
  }

  @Test
  void embedsFilesAndImagesInMemoryWithTheConfiguredTestTimeFeature() throws IOException {
    Embedder embedder = Embedder.open(run);
    assertThat(embedder.checkpoint()).isEqualTo(run.resolve("checkpoints/best"));
    // both modality branches exist: the image's own branch's z, then the shared branch's z (4 columns each)
    assertThat(embedder.parts(View.INFRARED)).containsExactly("infrared.z", "shared.z");
    assertThat(embedder.parts(View.VISIBLE)).containsExactly("visible.z", "shared.z");
    assertThat(embedder.dimension()).isEqualTo(8);
    List<Path> images;
    try (Stream<Path> files = Files.walk(data.resolve("cam3"))) {
      images = files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(2).toList();
    }
    float[] fromFile = embedder.embed(images.get(0), View.INFRARED);
    float[] fromMemory = embedder.embed(ImageIO.read(images.get(0).toFile()), View.INFRARED);
    assertThat(fromFile).hasSize(8).containsExactly(fromMemory, within(1e-6f));
    double norm = 0;
    for (float x : fromFile) {
      norm += x * x;
    }
    assertThat(norm).as("two L2-normalised parts").isCloseTo(2.0, within(1e-4));
    float[][] both = embedder.embed(images, View.INFRARED);
    assertThat(both[0]).containsExactly(fromFile, within(1e-6f));
    assertThat(Embedder.cosine(fromFile, fromFile)).isCloseTo(1.0, within(1e-9));
    assertThat(Embedder.cosine(fromFile, both[1])).isBetween(-1.0, 1.0);
    // a visible feature of the same image differs: another branch reads it
    assertThat(embedder.embed(images.get(0), View.VISIBLE)).isNotEqualTo(fromFile);
    // an image of another size in memory is resized as a file would be
    BufferedImage big = new BufferedImage(64, 128, BufferedImage.TYPE_3BYTE_BGR);
    assertThat(embedder.embed(big, View.VISIBLE)).hasSize(8);
    assertThatThrownBy(() -> embedder.embed(dir.resolve("none.jpg"), View.VISIBLE))
        .isInstanceOf(IbreidException.class).hasMessageContaining("none.jpg");
    assertThatThrownBy(() -> embedder.embed(images.get(0), null))
        .isInstanceOf(IbreidException.class).hasMessageStartingWith("modality is null");
  }

  @Test
  void resumesARunFromItsSavedConfig() throws IOException {
    Path copy = dir.resolve("resumed");
    Path config = dir.resolve("c1.yaml");
    Files.writeString(config, yaml(data, 1));
    TrainResult first = Ibreid.train(config, copy, TrainOptions.defaults());
    assertThat(first.summary().iterations()).isEqualTo(2);
    assertThatThrownBy(() -> Ibreid.resume(dir.resolve("nothing"), TrainOptions.defaults()))
        .isInstanceOf(IbreidException.class)
        .hasMessage("cannot resume: " + dir.resolve("nothing/config.yaml") + " does not exist (is "
            + dir.resolve("nothing") + " a run directory?)");
    // nothing left to do at the saved schedule's end: resuming trains no step and keeps the checkpoint
    TrainResult again = Ibreid.resume(copy, TrainOptions.defaults());
    assertThat(again.summary().iterations()).isZero();
    assertThat(Files.readString(copy.resolve("train.log"))).contains("Resuming from ");
  }

  @Test
  void aRunDirectoryBelongsToOneRunUnlessOverwriteMovesItAside() throws IOException {
    Path owned = dir.resolve("owned");
    RunConfig first = config(List.of("schedule.epochs=1", "data.params.holdout=0"));
    Ibreid.train(first, owned, TrainOptions.defaults());
    String metrics = Files.readString(owned.resolve("metrics.jsonl"));
    RunConfig other = config(List.of("schedule.epochs=1", "data.params.holdout=0", "seed=5"));
    assertThatThrownBy(() -> Ibreid.train(other, owned, TrainOptions.defaults()))
        .isExactlyInstanceOf(IbreidException.class)
        .hasMessage("run directory " + owned + " holds another run ([seed] is 3 there, 5 here); resume it "
            + "(--resume), train into another directory (--out), or move it aside first (--overwrite)");
    assertThat(Files.readString(owned.resolve("metrics.jsonl"))).isEqualTo(metrics);
    assertThatThrownBy(() -> Ibreid.train(other, owned, TrainOptions.defaults().withResume(true).withOverwrite(true)))
        .hasMessageStartingWith("resume and overwrite exclude each other");
    TrainResult replaced = Ibreid.train(other, owned, TrainOptions.defaults().withOverwrite(true));
    assertThat(replaced.summary().iterations()).isEqualTo(2);
    Path aside = dir.resolve("owned.replaced-1");
    assertThat(Files.readString(aside.resolve("metrics.jsonl"))).isEqualTo(metrics);
    assertThat(Ibreid.config(owned.resolve("config.yaml")).seed).isEqualTo(5);
    assertThat(Files.readString(owned.resolve("train.log"))).contains("was moved aside to " + aside);
  }

  @Test
  void configErrorsAreIbreidsOwnOneLineExceptions() {
    Path out = dir.resolve("never");
    RunConfig unknownLoss = config(List.of("losses.0.type=cosine-agreement"));
    assertThatThrownBy(() -> Ibreid.train(unknownLoss, out, TrainOptions.defaults()))
        .isExactlyInstanceOf(UnknownPluginException.class)
        .hasMessageStartingWith("Unknown loss [cosine-agreement], known options [")
        .hasMessageContaining("vsd");
    // built in code, not read from YAML: validated all the same
    RunConfig odd = config(List.of());
    odd.sampler.instances = 3;
    assertThatThrownBy(() -> Ibreid.train(odd, out, TrainOptions.defaults()))
        .isExactlyInstanceOf(ConfigException.class).hasMessageStartingWith("config key [sampler.instances] = [3]");
    // a failure inside the dependency-injection providers (the data set's reader) is not wrapped
    RunConfig missing = config(List.of("data.type=sysu", "data.root=" + dir.resolve("no-such-set"),
        "data.params={holdout: 2}"));
    assertThatThrownBy(() -> Ibreid.train(missing, out, TrainOptions.defaults()))
        .isInstanceOf(IbreidException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("no-such-set"));
    assertThat(out).as("a run rejected before it started leaves no directory").doesNotExist();
  }

  @Test
  void pluginsRegisteredInCodeTrainAndEmbed() {
    RunConfig withOwn = config(List.of("losses.3={type: mean-z, branch: shared}", "schedule.epochs=1",
        "data.params.holdout=0"));
    assertThatThrownBy(() -> Ibreid.train(withOwn, dir.resolve("own"), TrainOptions.defaults()))
        .isInstanceOf(UnknownPluginException.class).hasMessageStartingWith("Unknown loss [mean-z]");
    TrainResult r = Ibreid.train(withOwn, dir.resolve("own"), TrainOptions.defaults().withPlugins(new MeanZ()));
    assertThat(r.summary().last().terms()).containsKey("mean-z_shared");
    assertThat(r.bestScores()).as("no holdout, no validation").isEmpty();
    assertThat(r.checkpoint()).isEqualTo(r.summary().checkpoint());
    assertThat(Embedder.open(dir.resolve("own"), "last", new MeanZ()).dimension()).isEqualTo(8);
    assertThat(Ibreid.plugins().all(LossFactory.KIND)).containsKeys("ce", "triplet", "vsd", "vcd", "vml", "ib", "vib")
        .doesNotContainKey("mean-z");
    assertThat(Ibreid.plugins(new MeanZ()).all(LossFactory.KIND)).containsKey("mean-z");
    assertThat(Ibreid.plugins().all(EncoderFactory.KIND)).containsKeys("small-resnet", "fast-resnet", "resnet50");
    assertThat(Ibreid.plugins().all(DatasetFactory.KIND)).containsKeys("synthetic-sysu", "sysu", "regdb");
  }

  @Test
  void noTrainLogWhenTurnedOff() {
    RunConfig c = config(List.of("schedule.epochs=1", "data.params.holdout=0"));
    TrainResult r = Ibreid.train(c, dir.resolve("quiet"), TrainOptions.defaults().withTrainLog(false));
    assertThat(r.summary().iterations()).isEqualTo(2);
    assertThat(dir.resolve("quiet/train.log")).doesNotExist();
    assertThat(dir.resolve("quiet/metrics.jsonl")).isRegularFile();
  }

  private static RunConfig config(List<String> overrides) {
    try {
      Path file = Files.createTempFile(dir, "c", ".yaml");
      Files.writeString(file, yaml(data, 2));
      return Ibreid.config(file, overrides);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A loss plug-in of the test's own, not registered for ServiceLoader: the mean of z (gradient 1/n). */
  static final class MeanZ implements IbreidPlugin {
    public static final class Params {}

    @Override
    public List<LossFactory<?>> factories() {
      return List.of(new LossFactory<Params>() {
        @Override
        public String name() {
          return "mean-z";
        }

        @Override
        public String description() {
          return "mean of z (test)";
        }

        @Override
        public Class<Params> parametersType() {
          return Params.class;
        }

        @Override
        public List<Slot> slots(Params p) {
          return List.of(Slot.differentiable("z", "representation"));
        }

        @Override
        public Map<String, String> defaultInputs(String branch, Params p) {
          return Map.of("z", branch + ".z");
        }

        @Override
        public LossTerm create(Params p, LossContext c) {
          return input -> {
            var z = input.get("z");
            return LossResult.of(z.meanNumber().doubleValue(), Map.of("z", z.ulike().assign(1.0 / z.length())));
          };
        }
      });
    }
  }
}
