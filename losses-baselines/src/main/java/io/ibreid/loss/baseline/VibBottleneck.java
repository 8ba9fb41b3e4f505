package io.ibreid.loss.baseline;

import io.ibreid.core.ConfigException;
import io.ibreid.core.bottleneck.Bottleneck;
import io.ibreid.core.bottleneck.BottleneckFactory;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * The variational information bottleneck (Alemi et al. 2017): {@code q(z|v) = N(μ(v), diag σ²(v))} with the
 * reparameterisation {@code z = μ + σ ⊙ ε}. {@code hidden} Dense → BN → ReLU layers feed two linear heads, μ and
 * {@code logvar = log σ²}; {@code σ = exp(logvar / 2)} is an activation layer ({@link HalfExpActivation}), and
 * {@code σ ⊙ ε} and the sum are DL4J element-wise vertices, so the graph saves and restores with ModelSerializer.
 * ε is the declared noise input {@code eps}: the trainer feeds N(0, I) per step from the run's seeded stream and
 * zeros at inference, so the test-time representation is z = μ. Extra outputs {@code mu} and {@code logvar} feed
 * the {@code vib} loss term.
 */
public final class VibBottleneck implements Bottleneck {
  /** Extra output: the mean μ(v). */
  public static final String MU = "mu";
  /** Extra output: the log-variance log σ²(v). */
  public static final String LOGVAR = "logvar";
  /** The noise input's name. */
  public static final String NOISE = "eps";

  /** Parameters of {@code vib}. */
  public static final class Params {
    /** Width of z (and of μ, log σ²). */
    public int dim = 256;
    /** Widths of the hidden Dense → BN → ReLU layers before the two heads. */
    public int[] hidden = {512};
    /** Initial bias of the log-variance head: 0 starts with σ ≈ 1 (a plain linear head, as usual in PyTorch). */
    public double initLogVar = 0.0;
  }

  private final Params p;

  public VibBottleneck(Params p) {
    if (p.dim <= 0) {
      throw new ConfigException("vib: params.dim (the z size) must be > 0, got " + p.dim);
    }
    for (int h : p.hidden == null ? new int[0] : p.hidden) {
      if (h <= 0) {
        throw new ConfigException("vib: every entry of params.hidden must be > 0, got " + h);
      }
    }
    if (!Double.isFinite(p.initLogVar)) {
      throw new ConfigException("vib: params.initLogVar must be a finite number, got " + p.initLogVar);
    }
    this.p = p;
  }

  @Override
  public List<NoiseInput> noise() {
    return List.of(new NoiseInput(NOISE, p.dim));
  }

  @Override
  public Outputs addTo(GraphBuilder g, String observation, int observationSize, String prefix,
      Map<String, String> noiseInputs) {
    String eps = noiseInputs.get(NOISE);
    if (eps == null) {
      throw new IllegalArgumentException("vib: the graph has no noise input for [" + NOISE + "]");
    }
    String x = observation;
    int[] hidden = p.hidden == null ? new int[0] : p.hidden;
    for (int i = 0; i < hidden.length; i++) {
      String n = prefix + "ib_h" + (i + 1);
      g.addLayer(n, new DenseLayer.Builder().nOut(hidden[i]).hasBias(false).activation(Activation.IDENTITY)
          .weightInit(WeightInit.RELU).build(), x);
      g.addLayer(n + "_bn", new BatchNormalization.Builder().build(), n);
      g.addLayer(n + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), n + "_bn");
      x = n + "_relu";
    }
    String mu = prefix + "ib_mu";
    String logvar = prefix + "ib_logvar";
    String sigma = prefix + "ib_sigma";
    String scaled = prefix + "ib_sigma_eps";
    String z = prefix + "ib_z";
    g.addLayer(mu, new DenseLayer.Builder().nOut(p.dim).activation(Activation.IDENTITY)
        .weightInit(WeightInit.XAVIER).build(), x);
    g.addLayer(logvar, new DenseLayer.Builder().nOut(p.dim).activation(Activation.IDENTITY)
        .weightInit(WeightInit.XAVIER).biasInit(p.initLogVar).build(), x);
    g.addLayer(sigma, new ActivationLayer.Builder().activation(new HalfExpActivation()).build(), logvar);
    g.addVertex(scaled, new ElementWiseVertex(ElementWiseVertex.Op.Product), sigma, eps);
    g.addVertex(z, new ElementWiseVertex(ElementWiseVertex.Op.Add), mu, scaled);
    return new Outputs(z, Map.of(MU, mu, LOGVAR, logvar));
  }

  @Override
  public int representationSize() {
    return p.dim;
  }

  @Override
  public List<String> extraOutputs() {
    return List.of(MU, LOGVAR);
  }

  /** The {@code vib} bottleneck plug-in. */
  public static final class Factory implements BottleneckFactory<Params> {
    @Override
    public String name() {
      return "vib";
    }

    @Override
    public String description() {
      return "Gaussian bottleneck q(z|v)=N(mu, sigma^2), z = mu + sigma*eps, z = mu at test time (dim, hidden, "
          + "initLogVar); outputs mu, logvar";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public Bottleneck create(Params params) {
      return new VibBottleneck(params);
    }
  }
}
