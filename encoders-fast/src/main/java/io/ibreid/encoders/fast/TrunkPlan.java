package io.ibreid.encoders.fast;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The layout of a trunk: a sequence of {@link Step}s from the input image to a feature map, which the trunk then
 * averages over its positions (global average pooling) into the output vector. A step is a unit (convolution, batch
 * normalisation, optional ReLU), a max pooling, or a residual block; {@link Builder} chains them and keeps track of
 * the shape. {@link #smallResNet} is the layout of {@code fast-resnet} (ib-core's {@code small-resnet}); a
 * torchvision ResNet is another chain of the same steps, with {@link Builder#symmetricPadding}: a 7×7/2 stem unit, a
 * 3×3/2 max pooling with padding 1, stages of {@link Builder#bottleneck} (ResNet-50/101) or {@link
 * Builder#basicBlock} (ResNet-18/34) blocks where the first block of the last stage has the "last stride" (1 or 2),
 * and no expansion unit. A BN-neck follows the trunk as a layer of its own ({@link FastResNetEncoder}).
 */
public final class TrunkPlan {
  /** One step of the trunk. */
  public sealed interface Step permits Conv, MaxPool, Residual {}

  /** A unit: {@code unit}'s convolution and batch normalisation, then a ReLU when {@code relu}. */
  public record Conv(ConvUnit unit, boolean relu) implements Step {}

  /** A max pooling. */
  public record MaxPool(PoolUnit pool) implements Step {}

  /**
   * A residual block: the units of {@code path} in turn, each followed by a ReLU except the last; plus the block's
   * input through {@code shortcut} (a unit without ReLU, where the shape changes) or unchanged (null); then a ReLU
   * of the sum.
   */
  public record Residual(List<ConvUnit> path, ConvUnit shortcut) implements Step {
    public Residual {
      if (path.isEmpty()) {
        throw new IllegalArgumentException("a residual block needs at least one unit on its path");
      }
      path = List.copyOf(path);
    }
  }

  private final int inChannels;
  private final int inH;
  private final int inW;
  private final List<Step> steps;
  private final int outChannels;
  private final int outH;
  private final int outW;

  private TrunkPlan(Builder b) {
    inChannels = b.inChannels;
    inH = b.inH;
    inW = b.inW;
    steps = List.copyOf(b.steps);
    outChannels = b.c;
    outH = b.h;
    outW = b.w;
  }

  /**
   * {@code fast-resnet}: a 3×3 stem unit of {@code baseWidth} channels at stride {@code stemStride}; stages of basic
   * blocks (stage i: {@code baseWidth << i} channels, the first block of every stage but the first at stride 2); a
   * 1×1 expansion unit to {@code observationSize}. Units are named {@code stem}, {@code s<stage>b<block>a|b|down},
   * {@code expand}.
   */
  public static TrunkPlan smallResNet(int channels, int height, int width, int baseWidth, int[] stages,
      int observationSize, int stemStride) {
    Builder b = builder(channels, height, width).conv("stem", baseWidth, 3, stemStride, true);
    for (int s = 0; s < stages.length; s++) {
      for (int i = 0; i < stages[s]; i++) {
        b.basicBlock("s" + (s + 1) + "b" + (i + 1), baseWidth << s, (s > 0 && i == 0) ? 2 : 1);
      }
    }
    return b.conv("expand", observationSize, 1, 1, true).build();
  }

  public static Builder builder(int channels, int height, int width) {
    return new Builder(channels, height, width);
  }

  /**
   * Chains steps from an input of {@code channels×height×width}, each reading the previous one's output. Unit names
   * must be unique and contain no underscore (they prefix the parameter keys, {@link TrunkParams}).
   */
  public static final class Builder {
    private final int inChannels;
    private final int inH;
    private final int inW;
    private final List<Step> steps = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private int c;
    private int h;
    private int w;
    private boolean symmetric;

    private Builder(int channels, int height, int width) {
      inChannels = channels;
      inH = height;
      inW = width;
      c = channels;
      h = height;
      w = width;
    }

    private ConvUnit unit(String name, int in, int out, int kernel, int stride, int height, int width) {
      if (name.contains("_") || !names.add(name)) {
        throw new IllegalArgumentException("trunk unit name " + name + " is used twice or contains '_'");
      }
      return new ConvUnit(name, in, out, kernel, stride, symmetric ? kernel / 2 : ConvUnit.SAME, height, width);
    }

    /**
     * Units added from here on pad k/2 zeros on every side, as torchvision's ResNets do, instead of libnd4j's SAME
     * padding ({@link ConvUnit}); the two differ where a stride of 2 meets an even size.
     */
    public Builder symmetricPadding() {
      symmetric = true;
      return this;
    }

    private void moveTo(int channels, int height, int width) {
      c = channels;
      h = height;
      w = width;
    }

    /** A unit of {@code out} channels: k×k convolution at {@code stride}, batch normalisation, optional ReLU. */
    public Builder conv(String name, int out, int kernel, int stride, boolean relu) {
      ConvUnit u = unit(name, c, out, kernel, stride, h, w);
      steps.add(new Conv(u, relu));
      moveTo(out, u.outH(), u.outW());
      return this;
    }

    /** A k×k max pooling at {@code stride} with {@code pad} on every side. */
    public Builder maxPool(String name, int kernel, int stride, int pad) {
      if (!names.add(name)) {
        throw new IllegalArgumentException("trunk step name " + name + " is used twice");
      }
      PoolUnit p = new PoolUnit(name, c, kernel, stride, pad, h, w);
      steps.add(new MaxPool(p));
      moveTo(c, p.outH(), p.outW());
      return this;
    }

    /**
     * A basic block to {@code out} channels: 3×3 units {@code NAMEa} (at {@code stride}) and {@code NAMEb}; the
     * shortcut {@code NAMEdown} is a 1×1 unit at {@code stride} where the stride or the channels change.
     */
    public Builder basicBlock(String name, int out, int stride) {
      ConvUnit a = unit(name + "a", c, out, 3, stride, h, w);
      ConvUnit b = unit(name + "b", out, out, 3, 1, a.outH(), a.outW());
      return residual(List.of(a, b), shortcut(name, out, stride));
    }

    /**
     * A bottleneck block to {@code out} channels, torchvision's (v1.5): 1×1 unit {@code NAMEa} to {@code width}
     * channels, 3×3 unit {@code NAMEb} at {@code stride}, 1×1 unit {@code NAMEc} to {@code out}; the shortcut
     * {@code NAMEdown} is a 1×1 unit at {@code stride} where the stride or the channels change.
     */
    public Builder bottleneck(String name, int width, int out, int stride) {
      ConvUnit a = unit(name + "a", c, width, 1, 1, h, w);
      ConvUnit b = unit(name + "b", width, width, 3, stride, h, w);
      ConvUnit cc = unit(name + "c", width, out, 1, 1, b.outH(), b.outW());
      return residual(List.of(a, b, cc), shortcut(name, out, stride));
    }

    private ConvUnit shortcut(String name, int out, int stride) {
      return (stride != 1 || c != out) ? unit(name + "down", c, out, 1, stride, h, w) : null;
    }

    private Builder residual(List<ConvUnit> path, ConvUnit shortcut) {
      ConvUnit last = path.get(path.size() - 1);
      steps.add(new Residual(path, shortcut));
      moveTo(last.outChannels(), last.outH(), last.outW());
      return this;
    }

    public TrunkPlan build() {
      if (steps.isEmpty()) {
        throw new IllegalStateException("a trunk needs at least one step");
      }
      return new TrunkPlan(this);
    }
  }

  public List<Step> steps() {
    return steps;
  }

  public int inChannels() {
    return inChannels;
  }

  public int inH() {
    return inH;
  }

  public int inW() {
    return inW;
  }

  /** Channels of the last feature map, i.e. the size of the trunk's (average-pooled) output. */
  public int outChannels() {
    return outChannels;
  }

  public int outH() {
    return outH;
  }

  public int outW() {
    return outW;
  }

  /** Every unit in forward order (a residual block's path, then its shortcut): the order of the parameters. */
  public List<ConvUnit> units() {
    List<ConvUnit> u = new ArrayList<>();
    for (Step s : steps) {
      if (s instanceof Conv c) {
        u.add(c.unit());
      } else if (s instanceof Residual r) {
        u.addAll(r.path());
        if (r.shortcut() != null) {
          u.add(r.shortcut());
        }
      }
    }
    return u;
  }

  /** Forward FLOPs of the convolutions for one example. */
  public long forwardFlops() {
    return units().stream().mapToLong(ConvUnit::forwardFlops).sum();
  }
}
