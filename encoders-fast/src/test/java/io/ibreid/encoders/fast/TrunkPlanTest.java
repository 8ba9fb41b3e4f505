package io.ibreid.encoders.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The layouts {@link TrunkPlan} builds, checked by hand. */
class TrunkPlanTest {
  @Test
  void fastResNetsLayout() {
    TrunkPlan p = TrunkPlan.smallResNet(3, 64, 32, 32, new int[] {1, 1, 1}, 512, 2);
    assertThat(p.steps()).containsExactly(
        new TrunkPlan.Conv(new ConvUnit("stem", 3, 32, 3, 2, 64, 32), true),
        new TrunkPlan.Residual(List.of(new ConvUnit("s1b1a", 32, 32, 3, 1, 32, 16),
            new ConvUnit("s1b1b", 32, 32, 3, 1, 32, 16)), null),
        new TrunkPlan.Residual(List.of(new ConvUnit("s2b1a", 32, 64, 3, 2, 32, 16),
            new ConvUnit("s2b1b", 64, 64, 3, 1, 16, 8)), new ConvUnit("s2b1down", 32, 64, 1, 2, 32, 16)),
        new TrunkPlan.Residual(List.of(new ConvUnit("s3b1a", 64, 128, 3, 2, 16, 8),
            new ConvUnit("s3b1b", 128, 128, 3, 1, 8, 4)), new ConvUnit("s3b1down", 64, 128, 1, 2, 16, 8)),
        new TrunkPlan.Conv(new ConvUnit("expand", 128, 512, 1, 1, 8, 4), true));
    // the parameters' order: a block's path, then its shortcut
    assertThat(p.units()).extracting(ConvUnit::name).containsExactly("stem", "s1b1a", "s1b1b", "s2b1a", "s2b1b",
        "s2b1down", "s3b1a", "s3b1b", "s3b1down", "expand");
    assertThat(new int[] {p.outChannels(), p.outH(), p.outW()}).containsExactly(512, 8, 4);
    assertThat(p.forwardFlops()).isEqualTo(p.units().stream().mapToLong(ConvUnit::forwardFlops).sum());
  }

  @Test
  void aTorchvisionStemAndBottleneckStagesChainTheirShapes() {
    // ResNet-50's first two stages at 256×128: 7×7/2 stem, 3×3/2 max pooling (padding 1), bottlenecks, every
    // convolution padded by k/2 on each side
    TrunkPlan p = TrunkPlan.builder(3, 256, 128).symmetricPadding().conv("stem", 64, 7, 2, true)
        .maxPool("pool", 3, 2, 1).bottleneck("l1b1", 64, 256, 1).bottleneck("l1b2", 64, 256, 1)
        .bottleneck("l2b1", 128, 512, 2).build();
    assertThat(p.steps().get(0)).isEqualTo(new TrunkPlan.Conv(new ConvUnit("stem", 3, 64, 7, 2, 3, 256, 128), true));
    assertThat(p.steps().get(1)).isEqualTo(new TrunkPlan.MaxPool(new PoolUnit("pool", 64, 3, 2, 1, 128, 64)));
    TrunkPlan.Residual first = (TrunkPlan.Residual) p.steps().get(2);
    assertThat(first.path()).containsExactly(new ConvUnit("l1b1a", 64, 64, 1, 1, 0, 64, 32),
        new ConvUnit("l1b1b", 64, 64, 3, 1, 1, 64, 32), new ConvUnit("l1b1c", 64, 256, 1, 1, 0, 64, 32));
    assertThat(first.shortcut()).as("channels change").isEqualTo(new ConvUnit("l1b1down", 64, 256, 1, 1, 0, 64, 32));
    assertThat(((TrunkPlan.Residual) p.steps().get(3)).shortcut()).as("same shape: identity").isNull();
    TrunkPlan.Residual down = (TrunkPlan.Residual) p.steps().get(4);
    assertThat(down.path().get(1)).as("the stride on the 3×3")
        .isEqualTo(new ConvUnit("l2b1b", 128, 128, 3, 2, 1, 64, 32));
    assertThat(down.shortcut()).isEqualTo(new ConvUnit("l2b1down", 256, 512, 1, 2, 0, 64, 32));
    assertThat(new int[] {p.outChannels(), p.outH(), p.outW()}).containsExactly(512, 32, 16);
  }

  @Test
  void paddingDecidesTheOutputSize() {
    // SAME: ⌈in/stride⌉; explicit: ⌊(in + 2·pad − k)/stride⌋ + 1
    assertThat(new ConvUnit("u", 1, 1, 3, 2, 7, 8).outH()).isEqualTo(4);
    assertThat(new ConvUnit("u", 1, 1, 3, 2, 1, 7, 8).outH()).isEqualTo(4);
    assertThat(new ConvUnit("u", 1, 1, 7, 2, 3, 255, 8).outH()).isEqualTo(128);
    assertThat(new ConvUnit("u", 1, 1, 3, 2, 0, 8, 8).outW()).isEqualTo(3);
    assertThat(new ConvUnit("u", 1, 1, 3, 2, 8, 8).outW()).isEqualTo(4);
    assertThatThrownBy(() -> new ConvUnit("u", 1, 1, 5, 1, 0, 3, 8)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unit u");
  }

  @Test
  void namesAreUniqueAndFreeOfUnderscores() {
    assertThatThrownBy(() -> TrunkPlan.builder(3, 8, 8).conv("a", 4, 3, 1, true).conv("a", 4, 3, 1, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a is used twice");
    assertThatThrownBy(() -> TrunkPlan.builder(3, 8, 8).conv("a_b", 4, 3, 1, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'_'");
    assertThatThrownBy(() -> TrunkPlan.builder(3, 8, 8).build()).isInstanceOf(IllegalStateException.class);
  }
}
