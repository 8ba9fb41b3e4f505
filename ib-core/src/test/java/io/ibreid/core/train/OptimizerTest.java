package io.ibreid.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.branch.ModelGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The trainer's optimiser installed in a graph built without one gives exactly the graph DL4J builds with Adam and L2
 * configured up front: the same saved configuration (a checkpoint's {@code configuration.json}), and bit for bit the
 * same parameters and Adam moments after the same steps.
 */
class OptimizerTest {
  static final ISchedule LR = new WarmupStepSchedule(0.01, 2, 0.1, new long[] {3}, 0.1);

  static ModelGraph graph(IUpdater updater, double l2) {
    NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
        .updater(updater).miniBatch(false).activation(Activation.IDENTITY);
    if (l2 > 0) {
      b.l2(l2);
    }
    ComputationGraphConfiguration conf = b.graphBuilder().addInputs("in")
        .addLayer("dense", new DenseLayer.Builder().nOut(5).build(), "in")
        .addLayer("bn", new BatchNormalization.Builder().build(), "dense")
        .addLayer("head", new DenseLayer.Builder().nOut(3).hasBias(false).build(), "bn")
        .addLayer("out", new ActivationLayer.Builder().activation(Activation.IDENTITY).build(), "head")
        .setOutputs("out").setInputTypes(InputType.feedForward(4)).build();
    ModelGraph g = new ModelGraph(conf);
    g.init();
    return g;
  }

  @Test
  void installedAdamEqualsAdamConfiguredAtBuildTime() {
    ModelGraph built = graph(new Adam(LR), 5e-4);
    ModelGraph installed = graph(new NoOp(), 0);
    Optimizer optimizer = new Optimizer(installed, LR, 5e-4);
    assertThat(installed.getConfiguration().toJson()).isEqualTo(built.getConfiguration().toJson());
    assertThat(installed.params()).isEqualTo(built.params());

    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 4);
    INDArray error = Nd4j.rand(DataType.DOUBLE, 6, 3).subi(0.5);
    for (int i = 0; i < 5; i++) {
      Gradient g = built.forwardBackward(new INDArray[] {x}, outs -> new INDArray[] {error});
      built.getUpdater().update(g, i, 0, 6, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
      built.params().subi(g.gradient());
      optimizer.step(installed.forwardBackward(new INDArray[] {x}, outs -> new INDArray[] {error}), i, 0, 6);
    }
    assertThat(installed.params()).isEqualTo(built.params());
    assertThat(optimizer.state()).isEqualTo(built.getUpdater().getStateViewArray());
    assertThat(optimizer.learningRate(0, 0)).isEqualTo(0.001);
    assertThat(optimizer.learningRate(1, 0)).isEqualTo(0.01 * (0.1 * 0.5 + 0.5),
        org.assertj.core.data.Offset.offset(1e-15));
    assertThat(installed.getConfiguration().getIterationCount()).isEqualTo(5);
  }
}
