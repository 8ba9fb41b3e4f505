package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.eval.features.Npy;
import io.ibreid.weights.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose branches are torchvision's ResNet-18 at width 2, started from a PyTorch checkpoint (the fixture
 * Re-ID checkpoint: the backbone under {@code net.module.base.}), trains through the command line; {@code eval} and
 * {@code extract} work on it as on any run, and still after the weights file is gone (a trained run is restored from
 * its checkpoint, never from the starting weights).
 */
class TorchvisionRunTest {
  @Test
  void aRunFromPyTorchWeightsTrainsAndEvaluates(@TempDir Path dir) throws Exception {
    Path weights = Files.copy(Fixtures.path("reid-checkpoint.pth"), dir.resolve("reid-checkpoint.pth"));
    Path data = dir.resolve("sysu");
    IbreidCliTest.Result synth = IbreidCliTest.run("synth", "--layout", "sysu", "--out", data.toString(), "--ids",
        "8", "--test-ids", "4", "--size", "32x16", "--images", "2", "--camera-presence", "1");
    assertThat(synth.code()).as(synth.err()).isZero();
    String encoder = "{type: resnet18, params: {width: 2, weights: '" + weights + "', weightsPrefix: auto}}";
    Path cfg = Files.writeString(dir.resolve("c.yaml"), """
        name: tv
        seed: 3
        data: {type: sysu, root: %s, workers: 1, params: {holdout: 2}}
        input: {height: 32, width: 16}
        sampler: {identities: 3, instances: 2}
        branches:
          visible: {encoder: %s, bottleneck: {type: mlp, params: {dim: 4, hidden: []}}}
          infrared: {encoder: %s, bottleneck: {type: mlp, params: {dim: 4, hidden: []}}}
          shared: {encoder: %s, bottleneck: {type: mlp, params: {dim: 4, hidden: []}}}
        losses:
          - {type: ce, branch: visible}
          - {type: ce, branch: infrared}
          - {type: ce, branch: shared}
          - {type: vsd, branch: visible}
        schedule: {epochs: 1, batchesPerEpoch: 2}
        """.formatted(data, encoder, encoder, encoder));
    Path run = dir.resolve("run");
    IbreidCliTest.Result train = IbreidCliTest.run("train", "--config", cfg.toString(), "--out", run.toString(),
        "--quiet");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(logs(run)).as("the load report in the run's log")
        .contains("resnet18 weights from " + weights + ": reid-checkpoint.pth (PyTorch");

    Files.delete(weights);
    IbreidCliTest.Result eval = IbreidCliTest.run("eval", "--run", run.toString(), "--trials", "2");
    assertThat(eval.code()).as(eval.err()).isZero();
    assertThat(eval.out()).contains("SYSU-MM01 all-search single-shot");
    Path q = dir.resolve("q.npy");
    IbreidCliTest.Result x = IbreidCliTest.run("extract", "--run", run.toString(), "--out", q.toString(),
        "--modality", "infrared");
    assertThat(x.code()).as(x.err()).isZero();
    assertThat(Npy.read(q).dim()).as("infrared.z + shared.z").isEqualTo(8);
  }

  private static String logs(Path run) throws Exception {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.walk(run)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".log")
          || p.getFileName().toString().startsWith("log"))::iterator) {
        if (Files.isRegularFile(f)) {
          b.append(Files.readString(f));
        }
      }
    }
    return b.toString();
  }
}
