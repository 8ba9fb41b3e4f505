package io.ibreid.core.bottleneck;

import io.ibreid.core.ConfigException;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * The deterministic bottleneck: {@code hidden} layers of Dense → BN → ReLU, then a linear map to {@code dim}
 * (optionally batch-normalised). With no hidden layer it is a learned linear projection.
 */
public final class MlpBottleneck implements Bottleneck {
  /** Parameters of {@code mlp}. */
  public static final class Params {
    /** Width of z. */
    public int dim = 256;
    /** Widths of the hidden Dense → BN → ReLU layers. */
    public int[] hidden = {512};
    /** Batch-normalise z. */
    public boolean batchNorm = true;
  }

  private final Params p;

  public MlpBottleneck(Params p) {
    if (p.dim <= 0) {
      throw new ConfigException("mlp: dim (the z size) must be > 0, got " + p.dim);
    }
    for (int h : p.hidden == null ? new int[0] : p.hidden) {
      if (h <= 0) {
        throw new ConfigException("mlp: every hidden width must be > 0, got " + h);
      }
    }
    this.p = p;
  }

  @Override
  public Outputs addTo(GraphBuilder g, String observation, int observationSize, String prefix,
      Map<String, String> noiseInputs) {
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
    String z = prefix + "ib_z";
    g.addLayer(z, new DenseLayer.Builder().nOut(p.dim).hasBias(!p.batchNorm).activation(Activation.IDENTITY)
        .weightInit(WeightInit.XAVIER).build(), x);
    if (p.batchNorm) {
      g.addLayer(z + "_bn", new BatchNormalization.Builder().build(), z);
      z = z + "_bn";
    }
    return new Outputs(z, Map.of());
  }

  @Override
  public int representationSize() {
    return p.dim;
  }

  /** The {@code mlp} plug-in. */
  public static final class Factory implements BottleneckFactory<Params> {
    @Override
    public String name() {
      return "mlp";
    }

    @Override
    public String description() {
      return "deterministic MLP bottleneck v -> z (dim, hidden, batchNorm)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public Bottleneck create(Params params) {
      return new MlpBottleneck(params);
    }
  }
}
