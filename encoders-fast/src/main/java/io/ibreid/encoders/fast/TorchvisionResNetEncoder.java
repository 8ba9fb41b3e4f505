package io.ibreid.encoders.fast;

import io.ibreid.core.ConfigException;
import io.ibreid.core.IbreidException;
import io.ibreid.core.observation.Encoder;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.observation.Layers;
import io.ibreid.weights.KeyMapping;
import io.ibreid.weights.Prefix;
import io.ibreid.weights.StateDict;
import io.ibreid.weights.pretrained.TorchvisionResNet;
import io.ibreid.weights.pretrained.WeightsCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * torchvision's ResNets ({@code resnet18}, {@code resnet34}, {@code resnet50}, {@code resnet101}) as the encoder of
 * a branch: the network of {@code torchvision.models.resnet} (v1.5: a down-sampling bottleneck strides on its 3×3)
 * without its classifier, as one fused {@link TrunkLayer} ({@link TrunkPlan#torchvisionResNet}): 7×7/2 stem, 3×3/2
 * max pooling, four stages, the last at stride {@code lastStride} (1 by default, Re-ID practice: a 16×8 final map at
 * 256×128), global average pooling to v (2048-d for ResNet-50/101 at width 64, 512-d for ResNet-18/34), then an
 * optional BN-neck. Its weights come from a PyTorch file ({@code weights}: a torchvision state dict or a Re-ID
 * checkpoint holding one under a prefix, .pth or .safetensors) or torchvision's ImageNet file ({@code pretrained:
 * imagenet}, through {@link WeightsCache#standard()}); the load report goes to the run's log.
 */
public final class TorchvisionResNetEncoder implements Encoder {
  private static final Logger LOG = LoggerFactory.getLogger(TorchvisionResNetEncoder.class);

  /** Parameters of {@code resnet18}, {@code resnet34}, {@code resnet50} and {@code resnet101}. */
  public static final class Params {
    /** Channels of the stem; stage s has {@code width << (s-1)} planes. torchvision's (and its weights'): 64. */
    public int width = 64;
    /** Stride of the first block of the last stage: 1 (Re-ID practice) or 2 (torchvision's). */
    public int lastStride = 1;
    /** Batch-normalise the pooled feature (BN-neck). */
    public boolean bnNeck = true;
    /** {@code none} (random initialisation) or {@code imagenet} (torchvision's ImageNet file, downloaded once). */
    public String pretrained = "none";
    /** A PyTorch weights file (.pth of either format, or .safetensors) to start from; excludes {@code imagenet}. */
    public String weights;
    /** How the file's keys map to torchvision's: {@code auto}, {@code none}, or a prefix such as {@code module.base}. */
    public String weightsPrefix = "auto";
  }

  private final TorchvisionResNet network;
  private final Params p;
  private final boolean imagenet;
  private final Prefix prefix;
  private String report;

  public TorchvisionResNetEncoder(TorchvisionResNet network, Params p) {
    String name = network.id();
    if (p.width <= 0) {
      throw new ConfigException(name + ": width must be > 0, got " + p.width);
    }
    if (p.lastStride != 1 && p.lastStride != 2) {
      throw new ConfigException(name + ": lastStride must be 1 or 2, got " + p.lastStride);
    }
    String pretrained = p.pretrained == null ? "none" : p.pretrained.trim().toLowerCase(Locale.ROOT);
    if (!pretrained.equals("none") && !pretrained.equals("imagenet")) {
      throw new ConfigException(name + ": pretrained must be one of [none, imagenet], got [" + p.pretrained
          + "] (a local file is weights: FILE)");
    }
    boolean file = p.weights != null && !p.weights.isBlank();
    if (pretrained.equals("imagenet") && file) {
      throw new ConfigException(name + ": pretrained: imagenet and weights: " + p.weights + " both name the "
          + "starting weights; keep one");
    }
    if (pretrained.equals("imagenet") && p.width != 64) {
      throw new ConfigException(name + ": pretrained: imagenet needs width 64 (torchvision's), got " + p.width);
    }
    this.network = network;
    this.p = p;
    this.imagenet = pretrained.equals("imagenet");
    this.prefix = Prefix.parse(p.weightsPrefix);
  }

  @Override
  public String addTo(GraphBuilder g, String input, String prefix, ImageShape shape) {
    String trunk = trunkVertex(prefix);
    g.addLayer(trunk, new TrunkLayer.Builder().baseWidth(p.width)
        .torchvision(network.blocks(), network.bottleneck(), p.lastStride).build(), input);
    return p.bnNeck ? Layers.batchNorm(g, bnNeckVertex(prefix), trunk) : trunk;
  }

  @Override
  public int observationSize() {
    return network.featureWidth(p.width);
  }

  /** The torchvision network this encoder is. */
  public TorchvisionResNet network() {
    return network;
  }

  /** Stem channels (64: torchvision's). */
  public int width() {
    return p.width;
  }

  /** Stride of the last stage's first block (1 or 2; torchvision's own is 2). */
  public int lastStride() {
    return p.lastStride;
  }

  /** Whether v is the BN-necked pooled feature (the graph vertex {@code <branch>/bnneck} after the trunk). */
  public boolean bnNeck() {
    return p.bnNeck;
  }

  /** The trunk's vertex name in a branch whose vertices are prefixed {@code branchPrefix} ({@code shared/}). */
  public static String trunkVertex(String branchPrefix) {
    return branchPrefix + "trunk";
  }

  /** The BN-neck's vertex name in a branch whose vertices are prefixed {@code branchPrefix}. */
  public static String bnNeckVertex(String branchPrefix) {
    return branchPrefix + "bnneck";
  }

  /** The weights file this encoder starts from, or null for a random start. */
  Path weightsFile() {
    if (p.weights != null && !p.weights.isBlank()) {
      return Path.of(p.weights);
    }
    return imagenet ? WeightsCache.standard().imagenet(network) : null;
  }

  /**
   * Loads the starting weights, if any, into the branch's trunk (its BN-neck keeps its initialisation).
   *
   * @throws IbreidException (one line naming the file) when the file is missing or unreadable, a key has another
   *     shape, or the backbone's keys are not all in it
   */
  @Override
  public void initialise(ComputationGraph graph, String branchPrefix) {
    Path file = weightsFile();
    if (file == null) {
      report = null;
      return;
    }
    if (!Files.isRegularFile(file)) {
      throw new IbreidException(network.id() + " weights file " + file + " does not exist (expected a PyTorch "
          + "state dict: .pth or .safetensors)");
    }
    Layer trunk = graph.getLayer(trunkVertex(branchPrefix));
    KeyMapping mapping = TorchvisionWeights.load(StateDict.read(file), prefix, network, p.width, trunk);
    report = network.id() + " weights from " + file + ": " + mapping.report();
    LOG.info("{}", report);
  }

  @Override
  public List<String> initialisationReport() {
    return report == null ? List.of() : List.of(report);
  }

  /** The plug-in of one torchvision ResNet, named as torchvision names it. */
  public static final class Factory implements EncoderFactory<Params> {
    private final TorchvisionResNet network;

    public Factory(TorchvisionResNet network) {
      this.network = network;
    }

    @Override
    public String name() {
      return network.id();
    }

    @Override
    public String description() {
      int[] b = network.blocks();
      return "torchvision's " + network.id() + " (" + (network.bottleneck() ? "bottleneck" : "basic") + " blocks "
          + b[0] + "," + b[1] + "," + b[2] + "," + b[3] + "; v " + network.featureWidth(64)
          + "-d), last stride 1, BN-neck, fused; weights: imagenet or a .pth/.safetensors file";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public Encoder create(Params params) {
      return new TorchvisionResNetEncoder(network, params);
    }
  }
}
