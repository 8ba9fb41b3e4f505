package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A generated SYSU-layout set (8 training ids, 2 held out, 4 test ids unless said otherwise, 32x16) and a tiny
 * three-branch run trained on
 * it through the command line in seconds, for the tests of the commands that read a trained run.
 */
record TinyRun(Path data, Path run) {
  static TinyRun train(Path dir, String name, int epochs) throws Exception {
    return train(dir, name, epochs, 4);
  }

  /** As {@link #train(Path, String, int)}, with {@code testIds} test identities. */
  static TinyRun train(Path dir, String name, int epochs, int testIds) throws Exception {
    return train(dir, name, epochs, testIds, "", "mlp");
  }

  /**
   * As {@link #train(Path, String, int, int)}, with {@code extraYaml} appended to the config (e.g. an
   * {@code evaluation:} block or {@code wiring: release}) and every branch's bottleneck of type {@code bottleneck}.
   */
  static TinyRun train(Path dir, String name, int epochs, int testIds, String extraYaml, String bottleneck)
      throws Exception {
    Path data = dir.resolve("sysu");
    IbreidCliTest.Result synth = IbreidCliTest.run("synth", "--layout", "sysu", "--out", data.toString(), "--ids",
        "8", "--test-ids", Integer.toString(testIds), "--size", "32x16", "--images", "2", "--camera-presence", "1");
    assertThat(synth.code()).as(synth.err()).isZero();
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, """
        name: %s
        seed: 3
        data: {type: sysu, root: %s, workers: 1, params: {holdout: 2}}
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
        schedule: {epochs: %d, batchesPerEpoch: 2}
        """.formatted(name, data, epochs).replace("{type: mlp, params: {dim: 4, hidden: []}}",
        "mlp".equals(bottleneck) ? "{type: mlp, params: {dim: 4, hidden: []}}"
            : "{type: " + bottleneck + ", params: {dim: 4, hidden: [6]}}") + extraYaml);
    Path run = dir.resolve("run");
    IbreidCliTest.Result train = IbreidCliTest.run("train", "--config", cfg.toString(), "--out", run.toString(),
        "--quiet");
    assertThat(train.code()).as(train.err()).isZero();
    return new TinyRun(data, run);
  }
}
