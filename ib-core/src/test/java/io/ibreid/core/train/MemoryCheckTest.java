package io.ibreid.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.ibreid.core.IbreidException;
import io.ibreid.core.assembly.ModelAssembly;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.plugin.Plugins;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An input size whose training step cannot fit in memory is one line naming input.height and input.width and a size
 * that fits, before anything is allocated (issue 29: 3000x1500 used to end in an OutOfMemoryError inside a step).
 */
class MemoryCheckTest {
  @Test
  void aStepThatCannotFitIsOneLineNamingTheKeysAndASizeThatFits() {
    RunConfig big = ConfigLoader.parse(TrainerTest.YAML, List.of("input.height=12000", "input.width=6000"));
    ReidModel model = ModelAssembly.model(big, Plugins.discover(), ImageShape.rgb(12000, 6000), 6);
    IbreidException e = org.junit.jupiter.api.Assertions.assertThrows(IbreidException.class,
        () -> MemoryCheck.check(big, model));
    assertThat(e.getMessage()).startsWith("input.height x input.width = 12000 x 6000 needs about ")
        .contains(" of memory for one training step of 12 images, and this process may use ")
        .doesNotContain("\n");
    Matcher m = Pattern.compile("about (\\d+) x (\\d+) would fit").matcher(e.getMessage());
    assertThat(m.find()).as(e.getMessage()).isTrue();
    int h = Integer.parseInt(m.group(1));
    int w = Integer.parseInt(m.group(2));
    assertThat(h).isLessThan(12000).isGreaterThan(0);
    assertThat(Math.abs(h - 2 * w)).as("aspect kept").isLessThanOrEqualTo(2);
    RunConfig fits = ConfigLoader.parse(TrainerTest.YAML, List.of("input.height=" + h, "input.width=" + w));
    assertThatCode(() -> MemoryCheck.check(fits, model)).doesNotThrowAnyException();
    // the shipped-size config passes
    RunConfig small = ConfigLoader.parse(TrainerTest.YAML, List.of());
    assertThatCode(() -> MemoryCheck.check(small, ModelAssembly.model(small, Plugins.discover(),
        ImageShape.rgb(16, 8), 6))).doesNotThrowAnyException();
  }

  @Test
  void theEstimateGrowsWithTheInputAndIsFourTimesDl4jsReport() {
    RunConfig c = ConfigLoader.parse(TrainerTest.YAML, List.of());
    ReidModel model = ModelAssembly.model(c, Plugins.discover(), ImageShape.rgb(16, 8), 6);
    var graph = model.graph().getConfiguration();
    long a = MemoryCheck.bytes(model, 100, 50, 12, org.nd4j.linalg.api.buffer.DataType.FLOAT);
    long b = MemoryCheck.bytes(model, 200, 100, 12, org.nd4j.linalg.api.buffer.DataType.FLOAT);
    assertThat(b).isGreaterThan(3 * a);
    org.deeplearning4j.nn.conf.inputs.InputType[] in = new org.deeplearning4j.nn.conf.inputs.InputType[
        graph.getNetworkInputs().size()];
    java.util.Arrays.fill(in, org.deeplearning4j.nn.conf.inputs.InputType.convolutional(100, 50, 3));
    long report = graph.getMemoryReport(in).getTotalMemoryBytes(12,
        org.deeplearning4j.nn.conf.memory.MemoryUseMode.TRAINING, org.deeplearning4j.nn.conf.CacheMode.NONE,
        org.nd4j.linalg.api.buffer.DataType.FLOAT);
    assertThat(a).isEqualTo((long) (MemoryCheck.FACTOR * report));
  }
}
