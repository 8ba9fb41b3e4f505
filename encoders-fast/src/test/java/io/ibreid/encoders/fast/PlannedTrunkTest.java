package io.ibreid.encoders.fast;

import static io.ibreid.encoders.fast.FastResNetEquivalenceTest.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.testing.GradientChecks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A trunk of another layout than {@code fast-resnet}'s, as issue 25's ResNets chain the same steps: a unit, a 3×3/2
 * max pooling with padding 1, a bottleneck block with a projection shortcut, a basic block with the identity
 * shortcut, with torchvision's explicit padding. Its gradient matches finite differences in double precision (libnd4j's kernels), and in float oneDNN's
 * kernels compute what libnd4j's do.
 */
class PlannedTrunkTest {
  /** A {@link TrunkLayer} whose plan comes from {@code recipe} instead of fast-resnet's parameters. */
  static final class PlannedTrunkLayer extends TrunkLayer {
    interface Recipe {
      TrunkPlan plan(int channels, int height, int width);
    }

    private final Recipe recipe;

    PlannedTrunkLayer(Recipe recipe) {
      this.recipe = recipe;
    }

    @Override
    public TrunkPlan plan() {
      return recipe.plan(getChannels(), getHeight(), getWidth());
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType in) {
      InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) in;
      return InputType.feedForward(recipe.plan((int) c.getChannels(), (int) c.getHeight(), (int) c.getWidth())
          .outChannels());
    }
  }

  /**
   * 3×16×8 → unit (8, 3×3) → max pooling to 8×4 → bottleneck (4 wide, 16 out, stride 2) → basic block (16), every
   * convolution padded by k/2 as torchvision's.
   */
  static TrunkPlan plan(int channels, int height, int width) {
    return TrunkPlan.builder(channels, height, width).symmetricPadding().conv("stem", 8, 3, 1, true)
        .maxPool("pool", 3, 2, 1)
        .bottleneck("b1", 4, 16, 2).basicBlock("b2", 16, 1).build();
  }

  static ComputationGraph graph(DataType type) {
    ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(21).dataType(type)
        .updater(new NoOp()).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(16, 8, 3))
        .addLayer("trunk", new PlannedTrunkLayer(PlannedTrunkTest::plan), "in")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
            .nOut(5).build(), "trunk")
        .setOutputs("out").build());
    g.init();
    return g;
  }

  static DataSet batch(DataType type) {
    Nd4j.getRandom().setSeed(8);
    return new DataSet(Nd4j.rand(type, 6, 3, 16, 8), Nd4j.randn(type, new long[] {6, 5}));
  }

  @Test
  void theLayoutIsWhatTheBuilderChained() {
    TrunkPlan p = plan(3, 16, 8);
    assertThat(p.units()).extracting(ConvUnit::name).containsExactly("stem", "b1a", "b1b", "b1c", "b1down", "b2a",
        "b2b");
    assertThat(p.steps()).hasSize(4);
    assertThat(p.steps().get(1)).isEqualTo(new TrunkPlan.MaxPool(new PoolUnit("pool", 8, 3, 2, 1, 16, 8)));
    assertThat(((TrunkPlan.Residual) p.steps().get(3)).shortcut()).as("identity").isNull();
    assertThat(new int[] {p.outChannels(), p.outH(), p.outW()}).containsExactly(16, 4, 2);
    Trunk t = (Trunk) graph(DataType.DOUBLE).getLayer("trunk");
    assertThat(t.getParam("b1downW").shape()).containsExactly(1, 1, 8, 16);
    assertThat(t.getParam("b1cW").shape()).containsExactly(1, 1, 4, 16);
  }

  @Test
  void gradientMatchesFiniteDifferencesInDoublePrecision() {
    ComputationGraph g = graph(DataType.DOUBLE);
    assertThat(((Trunk) g.getLayer("trunk")).directOneDnn()).isFalse();
    DataSet data = batch(DataType.DOUBLE);
    g.setInputs(data.getFeatures());
    g.setLabels(data.getLabels());
    g.computeGradientAndScore();
    Map<String, INDArray> analytic = new LinkedHashMap<>();
    g.gradient().gradientForVariable().forEach((k, v) -> analytic.put(k, v.dup()));
    double h = 1e-6;
    Random r = new Random(4);
    double worst = 0;
    String where = "";
    int checked = 0;
    for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
      String key = e.getKey();
      if (!key.startsWith("trunk_") || TrunkParams.isStatistic(key)) {
        continue;
      }
      INDArray p = e.getValue();
      for (int k = 0; k < Math.min(p.length(), 6); k++) {
        long[] i = org.nd4j.linalg.api.shape.Shape.ind2subC(p, (long) (r.nextDouble() * p.length()));
        double orig = p.getDouble(i);
        p.putScalar(i, orig + h);
        double up = g.score(data, true);
        p.putScalar(i, orig - h);
        double down = g.score(data, true);
        p.putScalar(i, orig);
        double numeric = (up - down) / (2 * h);
        // DL4J's gradient is that of the summed loss (its updater divides by the batch size), its score the mean
        double a = analytic.get(key).getDouble(i) / data.numExamples();
        double rel = GradientChecks.relative(a, numeric);
        checked++;
        if (rel > worst) {
          worst = rel;
          where = key + java.util.Arrays.toString(i) + " analytic " + a + " numeric " + numeric;
        }
      }
    }
    assertThat(checked).isGreaterThan(100);
    assertThat(worst).as(where).isLessThan(1e-5);
    assertThat(analytic.get("trunk_stemW").amaxNumber().doubleValue()).as("the gradient reaches the stem")
        .isGreaterThan(1e-6);
  }

  @Test
  void oneDnnsKernelsComputeWhatLibnd4jsDo() {
    assumeThat(NativeRuntime.dnnlLoaded()).as("oneDNN's binding loaded").isTrue();
    ComputationGraph g = graph(DataType.FLOAT);
    Trunk t = (Trunk) g.getLayer("trunk");
    assertThat(t.directOneDnn()).isTrue();
    DataSet data = batch(DataType.FLOAT);
    INDArray params = g.params().dup();
    Map<String, INDArray> direct = gradients(g, data);
    INDArray directParams = g.params().dup();
    INDArray many = Nd4j.rand(DataType.FLOAT, Trunk.INFERENCE_CHUNK + 5, 3, 16, 8);
    INDArray outDirect = g.outputSingle(false, many);

    g.setParams(params);
    t.useDirectOneDnn(false);
    Map<String, INDArray> ops = gradients(g, data);
    INDArray outOps = g.outputSingle(false, many);
    for (Map.Entry<String, INDArray> e : ops.entrySet()) {
      assertThat(maxAbsDiff(direct.get(e.getKey()), e.getValue())).as(e.getKey()).isLessThan(1e-4);
    }
    assertThat(maxAbsDiff(directParams, g.params())).as("running statistics").isLessThan(1e-5);
    assertThat(maxAbsDiff(outDirect, outOps)).as("chunked inference").isLessThan(1e-5);
  }

  private static Map<String, INDArray> gradients(ComputationGraph g, DataSet data) {
    g.setInputs(data.getFeatures());
    g.setLabels(data.getLabels());
    g.computeGradientAndScore();
    Map<String, INDArray> m = new LinkedHashMap<>();
    g.gradient().gradientForVariable().forEach((k, v) -> m.put(k, v.dup()));
    return m;
  }
}
