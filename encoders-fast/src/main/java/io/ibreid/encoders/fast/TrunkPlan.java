package io.ibreid.encoders.fast;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout of the residual trunk: a strided stem, stages of basic blocks (two 3×3 units, plus a 1×1 shortcut
 * unit when the shape changes), a 1×1 expansion to D. Same architecture as ib-core's {@code small-resnet}.
 */
public final class TrunkPlan {
  /** A basic block: {@code a} (conv-BN-ReLU), {@code b} (conv-BN), optional {@code down} shortcut, add, ReLU. */
  public record Block(ConvUnit a, ConvUnit b, ConvUnit down) {}

  private final ConvUnit stem;
  private final List<Block> blocks = new ArrayList<>();
  private final ConvUnit expand;

  public TrunkPlan(int channels, int height, int width, int baseWidth, int[] stages, int observationSize,
      int stemStride) {
    stem = new ConvUnit("stem", channels, baseWidth, 3, stemStride, height, width);
    int c = baseWidth;
    int h = stem.outH();
    int w = stem.outW();
    for (int s = 0; s < stages.length; s++) {
      int out = baseWidth << s;
      for (int b = 0; b < stages[s]; b++) {
        int stride = (s > 0 && b == 0) ? 2 : 1;
        String n = "s" + (s + 1) + "b" + (b + 1);
        ConvUnit a = new ConvUnit(n + "a", c, out, 3, stride, h, w);
        ConvUnit bb = new ConvUnit(n + "b", out, out, 3, 1, a.outH(), a.outW());
        ConvUnit down = (stride != 1 || c != out) ? new ConvUnit(n + "down", c, out, 1, stride, h, w) : null;
        blocks.add(new Block(a, bb, down));
        c = out;
        h = a.outH();
        w = a.outW();
      }
    }
    expand = new ConvUnit("expand", c, observationSize, 1, 1, h, w);
  }

  public ConvUnit stem() {
    return stem;
  }

  public List<Block> blocks() {
    return blocks;
  }

  public ConvUnit expand() {
    return expand;
  }

  /** Every unit in forward order. */
  public List<ConvUnit> units() {
    List<ConvUnit> u = new ArrayList<>();
    u.add(stem);
    for (Block b : blocks) {
      u.add(b.a());
      u.add(b.b());
      if (b.down() != null) {
        u.add(b.down());
      }
    }
    u.add(expand);
    return u;
  }

  public long forwardFlops() {
    return units().stream().mapToLong(ConvUnit::forwardFlops).sum();
  }
}
