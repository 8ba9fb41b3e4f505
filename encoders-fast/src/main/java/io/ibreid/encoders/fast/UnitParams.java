package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of one unit in its trunk's tables ({@link TrunkParams}): kernel, batch-norm scale γ and shift β,
 * running mean and variance, and their gradient views. Looked up on every call, never cached: DL4J may give the
 * layer new tables (the gradient views appear only before the first backward pass).
 */
final class UnitParams {
  private final Trunk trunk;
  private final String kernel;
  private final String gamma;
  private final String beta;
  private final String mean;
  private final String var;

  UnitParams(Trunk trunk, ConvUnit u) {
    this.trunk = trunk;
    kernel = u.name() + "W";
    gamma = u.name() + "Gamma";
    beta = u.name() + "Beta";
    mean = u.name() + "Mean";
    var = u.name() + "Var";
  }

  INDArray kernel() {
    return trunk.getParam(kernel);
  }

  INDArray gamma() {
    return trunk.getParam(gamma);
  }

  INDArray beta() {
    return trunk.getParam(beta);
  }

  INDArray runningMean() {
    return trunk.getParam(mean);
  }

  INDArray runningVar() {
    return trunk.getParam(var);
  }

  INDArray kernelGradient() {
    return trunk.gradientView(kernel);
  }

  INDArray gammaGradient() {
    return trunk.gradientView(gamma);
  }

  INDArray betaGradient() {
    return trunk.gradientView(beta);
  }

  /** The running statistics are updated in the forward pass, not by the optimiser: their gradient is zero. */
  void zeroStatisticGradients() {
    trunk.gradientView(mean).assign(0);
    trunk.gradientView(var).assign(0);
  }
}
