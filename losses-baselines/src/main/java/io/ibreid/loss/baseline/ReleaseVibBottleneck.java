package io.ibreid.loss.baseline;

import io.ibreid.core.ConfigException;
import io.ibreid.core.bottleneck.Bottleneck;
import io.ibreid.core.bottleneck.BottleneckFactory;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;

/**
 * The "VIB" of the authors' public release, which is not a variational bottleneck: a deterministic MLP with no
 * sampling and no prior (KL) term, and its own non-linear identity classifier on z. Off by default; name
 * {@code release-vib}.
 *
 * <p>Release (D = 2048, {@code z_dim} = 256): the bottleneck is {@code Linear(D, 1000) → BN → ReLU → Linear(1000, 500)
 * → BN → ReLU → Linear(500, 2·z_dim)} (no BN on z), so z is 512 wide; the classifier p(y|z) is
 * {@code Linear(2·z_dim, z_dim) → BN → LeakyReLU(0.1) → Dropout(0.5) → Linear(z_dim, C)}. Here: hidden widths default
 * to the release's scaled to the observation size, {@code round(1000·D/2048)} and {@code round(500·D/2048)} (250 and
 * 125 for D = 512; exactly 1000 and 500 for D = 2048); {@code dim} is the width of z (the release's 2·z_dim); the
 * classifier's hidden layer is {@code dim/2} wide. Linear layers carry biases (zero at start); the bottleneck's weights
 * start He-normal over fan-out, the classifier's N(0, 0.001²), as in the release.
 */
public final class ReleaseVibBottleneck implements Bottleneck {
  /** Parameters of {@code release-vib}. */
  public static final class Params {
    /** Width of z (the release's 2·z_dim). */
    public int dim = 512;
    /** Hidden widths; absent: the release's 1000 and 500 scaled by D/2048. */
    public int[] hidden;
    /** Drop probability of the classifier's dropout (the release: 0.5); 0 removes it. */
    public double dropout = 0.5;
    /** Negative slope of the classifier's LeakyReLU (the release: 0.1). */
    public double leak = 0.1;
  }

  private final Params p;

  public ReleaseVibBottleneck(Params p) {
    if (p.dim < 2) {
      throw new ConfigException("release-vib: params.dim (the z size) must be >= 2, got " + p.dim);
    }
    for (int h : p.hidden == null ? new int[0] : p.hidden) {
      if (h <= 0) {
        throw new ConfigException("release-vib: every entry of params.hidden must be > 0, got " + h);
      }
    }
    if (!(p.dropout >= 0 && p.dropout < 1)) {
      throw new ConfigException("release-vib: params.dropout must be in [0, 1), got " + p.dropout);
    }
    if (!(p.leak >= 0 && Double.isFinite(p.leak))) {
      throw new ConfigException("release-vib: params.leak must be a finite number >= 0, got " + p.leak);
    }
    this.p = p;
  }

  /** The hidden widths for an observation of {@code observationSize} columns. */
  public int[] hidden(int observationSize) {
    if (p.hidden != null) {
      return p.hidden.clone();
    }
    return new int[] {Math.max(1, (int) Math.round(1000.0 * observationSize / 2048)),
        Math.max(1, (int) Math.round(500.0 * observationSize / 2048))};
  }

  @Override
  public Outputs addTo(GraphBuilder g, String observation, int observationSize, String prefix,
      Map<String, String> noiseInputs) {
    String x = observation;
    int[] hidden = hidden(observationSize);
    for (int i = 0; i < hidden.length; i++) {
      String n = prefix + "ib_h" + (i + 1);
      g.addLayer(n, dense(hidden[i], Math.sqrt(2.0 / hidden[i]), 0), x);
      g.addLayer(n + "_bn", new BatchNormalization.Builder().build(), n);
      g.addLayer(n + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), n + "_bn");
      x = n + "_relu";
    }
    String z = prefix + "ib_z";
    g.addLayer(z, dense(p.dim, Math.sqrt(2.0 / p.dim), 0), x);
    return new Outputs(z, Map.of());
  }

  @Override
  public String addClassifier(GraphBuilder g, String representation, int numClasses, String prefix) {
    String h = prefix + "head_z_h";
    g.addLayer(h, dense(p.dim / 2, 0.001, 0), representation);
    g.addLayer(h + "_bn", new BatchNormalization.Builder().build(), h);
    g.addLayer(h + "_lrelu", new ActivationLayer.Builder().activation(new ActivationLReLU(p.leak)).build(), h + "_bn");
    String out = prefix + "head_z";
    // DL4J applies a layer's dropout to its input: this is Dropout(p) between the LeakyReLU and the last Linear.
    g.addLayer(out, dense(numClasses, 0.001, p.dropout), h + "_lrelu");
    return out;
  }

  private static DenseLayer dense(int nOut, double std, double dropProbability) {
    DenseLayer.Builder b = new DenseLayer.Builder().nOut(nOut).hasBias(true).activation(Activation.IDENTITY)
        .weightInit(new WeightInitDistribution(new NormalDistribution(0, std))).biasInit(0);
    if (dropProbability > 0) {
      b.dropOut(new Dropout(1 - dropProbability)); // DL4J's argument is the probability of keeping
    }
    return b.build();
  }

  @Override
  public int representationSize() {
    return p.dim;
  }

  /** The {@code release-vib} bottleneck plug-in. */
  public static final class Factory implements BottleneckFactory<Params> {
    @Override
    public String name() {
      return "release-vib";
    }

    @Override
    public String description() {
      return "the authors' release's deterministic \"VIB\": MLP v -> z (hidden default 1000, 500 scaled by D/2048; "
          + "dim), no sampling, no KL; classifier Linear-BN-LeakyReLU-Dropout-Linear on z (dropout, leak)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public Bottleneck create(Params params) {
      return new ReleaseVibBottleneck(params);
    }
  }
}
