package io.ibreid.ablation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.assembly.ModelAssembly;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the report's header says about pairing: the shipped variants with the same network graph start from the same
 * weights for the same seed (their differences are loss terms only), another seed gives other weights, and a
 * variant with another bottleneck (vib) other numbers.
 */
class AblationPairingTest {
  private static final Path CONFIGS = Path.of("").toAbsolutePath().getParent().resolve("configs");

  private static INDArray initialWeights(String variant, long seed) {
    RunConfig cfg = ConfigLoader.load(CONFIGS.resolve(variant + ".yaml"), List.of("seed=" + seed,
        "branches.shared.encoder.params={width: 4, stages: [1], observationSize: 8}",
        "branches.shared.bottleneck.params.hidden=[]", "branches.shared.bottleneck.params.dim=4"));
    ReidModel model = ModelAssembly.model(cfg, Plugins.discover(), new ImageShape(3, 32, 16), 6);
    return model.graph().params().dup();
  }

  @Test
  void sameGraphSameSeedSameWeights() {
    INDArray base = initialWeights("baseline-ce", 1);
    for (String v : List.of("ib", "vsd-shared", "crossview")) {
      assertThat(initialWeights(v, 1)).as(v).isEqualTo(base);
    }
    assertThat(initialWeights("baseline-ce", 2)).isNotEqualTo(base);
    INDArray vib = initialWeights("vib", 1);
    assertThat(vib.length() == base.length() && vib.equals(base)).isFalse();
  }
}
