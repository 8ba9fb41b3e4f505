package io.ibreid.weights.pretrained;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * torchvision's ResNets: their state-dict layout (key names and shapes, for any width) and their ImageNet weight
 * files (torchvision's IMAGENET1K_V1). Each network has two files of the same weights: the zip-format file
 * torchvision names today, and the legacy-format original of 2017 (torchvision re-saved the originals in 2020,
 * pytorch/vision#2068) that older code, such as the paper's release, downloads.
 */
public enum TorchvisionResNet {
  RESNET18(false, new int[] {2, 2, 2, 2}, "resnet18-f37072fd.pth", "resnet18-5c106cde.pth"),
  RESNET34(false, new int[] {3, 4, 6, 3}, "resnet34-b627a593.pth", "resnet34-333f7ec4.pth"),
  RESNET50(true, new int[] {3, 4, 6, 3}, "resnet50-0676ba61.pth", "resnet50-19c8e357.pth"),
  RESNET101(true, new int[] {3, 4, 23, 3}, "resnet101-63fe2227.pth", "resnet101-5d3b4d8f.pth");

  /** Where torchvision's files are served. */
  public static final String BASE_URL = "https://download.pytorch.org/models/";

  private final boolean bottleneck;
  private final int[] blocks;
  private final String fileName;
  private final String legacyFileName;

  TorchvisionResNet(boolean bottleneck, int[] blocks, String fileName, String legacyFileName) {
    this.bottleneck = bottleneck;
    this.blocks = blocks;
    this.fileName = fileName;
    this.legacyFileName = legacyFileName;
  }

  /** {@code resnet50} etc. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The network of that id ({@code resnet50}), or null. */
  public static TorchvisionResNet of(String id) {
    for (TorchvisionResNet r : values()) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    return null;
  }

  /** True for bottleneck blocks (ResNet-50, -101), false for basic blocks (ResNet-18, -34). */
  public boolean bottleneck() {
    return bottleneck;
  }

  /** Blocks per stage. */
  public int[] blocks() {
    return blocks.clone();
  }

  /** Output channels per input channel of the last stage's blocks: 4 for bottleneck blocks, else 1. */
  public int expansion() {
    return bottleneck ? 4 : 1;
  }

  /** The pooled feature's width at stem width {@code width}: 2048 for ResNet-50 at 64. */
  public int featureWidth(int width) {
    return width * 8 * expansion();
  }

  /** The ImageNet file torchvision names today (zip format), e.g. {@code resnet50-0676ba61.pth}. */
  public String fileName() {
    return fileName;
  }

  /** The 2017 file of the same weights (legacy format), e.g. {@code resnet50-19c8e357.pth}. */
  public String legacyFileName() {
    return legacyFileName;
  }

  /** {@link #BASE_URL} + {@link #fileName()}. */
  public String url() {
    return BASE_URL + fileName;
  }

  /**
   * torchvision's state-dict keys and shapes in its order, at stem width {@code width} (64 for torchvision's
   * own; stage s has {@code width * 2^(s-1)} planes), without the batch norms' {@code num_batches_tracked}
   * buffers; with {@code fc.weight} and {@code fc.bias} when {@code numClasses > 0} (1000 for ImageNet).
   */
  public Map<String, long[]> keys(int width, int numClasses) {
    if (width < 1 || numClasses < 0) {
      throw new IllegalArgumentException("width " + width + " and numClasses " + numClasses);
    }
    Map<String, long[]> k = new LinkedHashMap<>();
    k.put("conv1.weight", new long[] {width, 3, 7, 7});
    batchNorm(k, "bn1", width);
    int in = width;
    for (int s = 0; s < 4; s++) {
      int planes = width << s;
      int out = planes * expansion();
      for (int b = 0; b < blocks[s]; b++) {
        String p = "layer" + (s + 1) + "." + b + ".";
        if (bottleneck) {
          k.put(p + "conv1.weight", new long[] {planes, in, 1, 1});
          batchNorm(k, p + "bn1", planes);
          k.put(p + "conv2.weight", new long[] {planes, planes, 3, 3});
          batchNorm(k, p + "bn2", planes);
          k.put(p + "conv3.weight", new long[] {out, planes, 1, 1});
          batchNorm(k, p + "bn3", out);
        } else {
          k.put(p + "conv1.weight", new long[] {planes, in, 3, 3});
          batchNorm(k, p + "bn1", planes);
          k.put(p + "conv2.weight", new long[] {planes, planes, 3, 3});
          batchNorm(k, p + "bn2", planes);
        }
        if (b == 0 && (s > 0 || in != out)) {
          k.put(p + "downsample.0.weight", new long[] {out, in, 1, 1});
          batchNorm(k, p + "downsample.1", out);
        }
        in = out;
      }
    }
    if (numClasses > 0) {
      k.put("fc.weight", new long[] {numClasses, in});
      k.put("fc.bias", new long[] {numClasses});
    }
    return k;
  }

  /** The 0-d {@code int64} buffer every torchvision batch norm has in its state dict after its four tensors. */
  public static final String BATCHES_TRACKED = "num_batches_tracked";

  /**
   * torchvision's {@code state_dict()} layout exactly: {@link #keys(int, int)} with each batch norm's 0-d
   * {@code num_batches_tracked} buffer (shape {@code []}, int64) after its {@code running_var}, as
   * {@code torchvision.models.resnet50().state_dict()} lists them (320 keys for ResNet-50 at width 64 and {@code numClasses} 1000).
   */
  public Map<String, long[]> stateDict(int width, int numClasses) {
    Map<String, long[]> k = new LinkedHashMap<>();
    keys(width, numClasses).forEach((key, shape) -> {
      k.put(key, shape);
      if (key.endsWith(".running_var")) {
        k.put(key.substring(0, key.length() - "running_var".length()) + BATCHES_TRACKED, new long[0]);
      }
    });
    return k;
  }

  private static void batchNorm(Map<String, long[]> k, String name, int channels) {
    for (String p : new String[] {"weight", "bias", "running_mean", "running_var"}) {
      k.put(name + "." + p, new long[] {channels});
    }
  }
}
