package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * Batch normalisation (then ReLU) of one unit in NCHW through libnd4j's {@code moments}, {@code batchnorm} and
 * {@code batchnorm_bp} ops.
 */
final class NchwNormalisation implements Normalisation {
  private final UnitParams p;
  private final int ch;
  private final boolean relu;
  private final double eps;
  private final double decay;
  private final DataType type;
  private final Kept mean = new Kept();
  private final Kept var = new Kept();
  private final Kept dMasked = new Kept();
  private final Kept dMean = new Kept();
  private final Kept dVar = new Kept();

  NchwNormalisation(ConvUnit u, UnitParams p, boolean relu, TrunkLayer conf, DataType type) {
    this.p = p;
    this.ch = u.outChannels();
    this.relu = relu;
    this.eps = conf.getEps();
    this.decay = conf.getDecay();
    this.type = type;
  }

  @Override
  public void forward(INDArray c, INDArray y, boolean training) {
    INDArray mu;
    INDArray sigma2;
    if (training) {
      mu = mean.of(type, ch);
      sigma2 = var.of(type, ch);
      OpTimes.exec("moments", DynamicCustomOp.builder("moments").addInputs(c).addOutputs(mu, sigma2)
          .addIntegerArguments(Layout.NCHW.reduceAxes()).addFloatingPointArguments(0.0).build());
      BatchNorms.updateRunningStatistics(p, decay, c.length() / ch, mu, sigma2);
    } else {
      mu = p.runningMean();
      sigma2 = p.runningVar();
    }
    OpTimes.exec("batchnorm", DynamicCustomOp.builder("batchnorm").addInputs(c, mu, sigma2, p.gamma(), p.beta())
        .addOutputs(y).addIntegerArguments(1, 1, Layout.NCHW.channelAxis()).addFloatingPointArguments(eps).build());
    if (relu) {
      BatchNorms.relu(y);
    }
  }

  @Override
  public void backward(INDArray c, INDArray y, INDArray dy, INDArray dc) {
    INDArray g = dy;
    if (relu) {
      g = dMasked.of(type, y.shape());
      BatchNorms.reluBackward(y, dy, g);
    }
    OpTimes.exec("batchnorm_bp", DynamicCustomOp.builder("batchnorm_bp")
        .addInputs(c, mean.get(), var.get(), p.gamma(), p.beta(), g)
        .addOutputs(dc, dMean.of(type, ch), dVar.of(type, ch), p.gammaGradient(), p.betaGradient())
        .addIntegerArguments(1, 1, Layout.NCHW.channelAxis()).addFloatingPointArguments(eps).build());
  }
}
