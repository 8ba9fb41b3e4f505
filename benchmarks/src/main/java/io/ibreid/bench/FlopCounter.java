package io.ibreid.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Counts the floating-point operations of one forward pass of a graph configuration, analytically, for the layers
 * that carry the work: convolutions ({@code 2·H'·W'·C'·C·kh·kw}, plus {@code H'·W'·C'} for a bias) and dense layers
 * ({@code 2·nIn·nOut}, plus {@code nOut} for a bias), per example. Normalisation, activations, pooling and additions
 * are not counted (they are memory-bound and small). The fused {@code fast-resnet} trunk counts its own
 * convolutions the same way; layers of other kinds that know their own cost implement {@link Countable}.
 *
 * <p>A training step is counted as three forward passes: the forward pass, the gradient with respect to the input
 * and the gradient with respect to the weights each cost one forward pass of multiply-adds.
 */
public final class FlopCounter {
  /** A layer or vertex configuration that reports its own forward cost per example. */
  public interface Countable {
    /** Forward FLOPs per example for the given input types. */
    long forwardFlopsPerExample(InputType... inputs);
  }

  /** Forward FLOPs per example, by vertex name (only vertices that do counted work), and their sum. */
  public record Count(Map<String, Long> byVertex, long forwardPerExample) {
    /** Training-step FLOPs for a batch of {@code batch} examples (forward + two backward products). */
    public double trainingStep(int batch) {
      return 3.0 * forwardPerExample * batch;
    }
  }

  private FlopCounter() {}

  public static Count count(ComputationGraphConfiguration conf, InputType... networkInputTypes) {
    Map<String, InputType> types = new LinkedHashMap<>(conf.getLayerActivationTypes(networkInputTypes));
    List<String> inputs = conf.getNetworkInputs();
    for (int i = 0; i < inputs.size(); i++) {
      types.put(inputs.get(i), networkInputTypes[i]);
    }
    Map<String, Long> by = new LinkedHashMap<>();
    long total = 0;
    for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
      String name = e.getKey();
      List<String> in = conf.getVertexInputs().get(name);
      if (in == null || in.isEmpty()) {
        continue;
      }
      InputType[] inTypes = in.stream().map(types::get).toArray(InputType[]::new);
      long flops = vertexFlops(e.getValue(), inTypes, types.get(name));
      if (flops > 0) {
        by.put(name, flops);
        total += flops;
      }
    }
    return new Count(by, total);
  }

  static long vertexFlops(GraphVertex vertex, InputType[] in, InputType out) {
    if (vertex instanceof Countable c) {
      return c.forwardFlopsPerExample(in);
    }
    if (!(vertex instanceof LayerVertex lv)) {
      return 0;
    }
    Layer layer = lv.getLayerConf().getLayer();
    if (layer instanceof Countable c) {
      return c.forwardFlopsPerExample(in);
    }
    if (layer instanceof io.ibreid.encoders.fast.TrunkLayer trunk) {
      return trunk.forwardFlopsPerExample();
    }
    if (layer instanceof ConvolutionLayer conv && conv.getClass() == ConvolutionLayer.class) {
      InputType.InputTypeConvolutional o = (InputType.InputTypeConvolutional) out;
      long outputs = o.getHeight() * o.getWidth() * o.getChannels();
      int[] k = conv.getKernelSize();
      long flops = 2L * outputs * conv.getNIn() * k[0] * k[1];
      return flops + (conv.hasBias() ? outputs : 0);
    }
    if (layer instanceof DenseLayer dense) {
      return 2L * dense.getNIn() * dense.getNOut() + (dense.hasBias() ? dense.getNOut() : 0);
    }
    return 0;
  }
}
