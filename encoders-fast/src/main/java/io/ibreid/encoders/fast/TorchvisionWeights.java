package io.ibreid.encoders.fast;

import io.ibreid.core.IbreidException;
import io.ibreid.weights.KeyMapping;
import io.ibreid.weights.Prefix;
import io.ibreid.weights.StateDict;
import io.ibreid.weights.Tensor;
import io.ibreid.weights.pretrained.TorchvisionResNet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torchvision's ResNet state-dict keys as the parameters of a {@link TrunkLayer} built by {@link
 * TrunkPlan#torchvisionResNet}: {@code conv1.weight} is unit {@code conv1}'s kernel and {@code bn1.*} its batch
 * norm; {@code layer<s>.<b>.conv<k>.weight} / {@code bn<k>.*} are unit {@code layer<s>b<b>a|b|c} (k = 1, 2, 3) and
 * {@code layer<s>.<b>.downsample.0.weight} / {@code downsample.1.*} unit {@code layer<s>b<b>down}. A batch norm's
 * {@code weight}, {@code bias}, {@code running_mean} and {@code running_var} are the unit's γ, β and running
 * statistics; kernels are PyTorch's O×I×kH×kW, permuted into the trunk's kernel layout. The one table serves both
 * directions: {@link #load} (a PyTorch file into the trunk) and {@link #stateDict} (the trunk as torchvision's state
 * dict, for the safetensors export).
 */
public final class TorchvisionWeights {
  private static final Pattern BLOCK = Pattern.compile("layer(\\d)\\.(\\d+)\\.(conv|bn)(\\d)\\.(.+)");
  private static final Pattern DOWN = Pattern.compile("layer(\\d)\\.(\\d+)\\.downsample\\.([01])\\.(.+)");
  private static final Map<String, String> BATCH_NORM = Map.of("weight", "Gamma", "bias", "Beta", "running_mean",
      "Mean", "running_var", "Var");

  private TorchvisionWeights() {}

  /** The trunk parameter key of a torchvision key ({@code layer2.0.bn3.running_var} → {@code layer2b0cVar}). */
  static String paramKey(String torchKey) {
    Matcher m = BLOCK.matcher(torchKey);
    if (m.matches()) {
      String unit = "layer" + m.group(1) + "b" + m.group(2) + (char) ('a' + Integer.parseInt(m.group(4)) - 1);
      return unit + suffix(m.group(3).equals("conv"), m.group(5), torchKey);
    }
    m = DOWN.matcher(torchKey);
    if (m.matches()) {
      return "layer" + m.group(1) + "b" + m.group(2) + "down" + suffix(m.group(3).equals("0"), m.group(4), torchKey);
    }
    if (torchKey.startsWith("conv1.") || torchKey.startsWith("bn1.")) {
      return "conv1" + suffix(torchKey.startsWith("conv1."), torchKey.substring(torchKey.indexOf('.') + 1), torchKey);
    }
    throw new IllegalArgumentException("not a torchvision ResNet backbone key: " + torchKey);
  }

  private static String suffix(boolean conv, String leaf, String torchKey) {
    String s = conv ? (leaf.equals("weight") ? "W" : null) : BATCH_NORM.get(leaf);
    if (s == null) {
      throw new IllegalArgumentException("not a torchvision ResNet backbone key: " + torchKey);
    }
    return s;
  }

  /** The backbone keys and shapes the trunk expects (torchvision's, without {@code fc}), in torchvision's order. */
  static Map<String, long[]> expected(TorchvisionResNet network, int width) {
    return network.keys(width, 0);
  }

  /**
   * Maps {@code file}'s tensors onto the trunk under {@code prefix} and copies them into its parameters (kernels, γ,
   * β and running statistics), converted to the trunk's data type.
   *
   * @return the mapping, whose {@link KeyMapping#report()} is the load report
   * @throws IbreidException (one line naming the file) when a key has another shape, a backbone key is missing, or
   *     no key matches (weights of another architecture)
   */
  public static KeyMapping load(StateDict file, Prefix prefix, TorchvisionResNet network, int width, Layer trunk) {
    Map<String, long[]> expected = expected(network, width);
    KeyMapping mapping = KeyMapping.of(file, expected, prefix);
    Map<String, Tensor> tensors = mapping.requireAll();
    String weightsFormat = ((TrunkLayer) trunk.conf().getLayer()).getWeightsFormat();
    Map<String, INDArray> values = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      String key = paramKey(e.getKey());
      INDArray target = trunk.getParam(key);
      if (target == null) {
        throw new IllegalStateException("the trunk has no parameter " + key + " for " + e.getKey());
      }
      INDArray value = array(e.getValue(), target.dataType());
      if (key.endsWith("W")) {
        value = kernel(value, weightsFormat);
      } else {
        value = value.reshape(target.shape());
      }
      if (!java.util.Arrays.equals(value.shape(), target.shape())) {
        throw new IllegalStateException(e.getKey() + " as " + key + ": shape " + java.util.Arrays.toString(
            value.shape()) + ", the trunk's " + java.util.Arrays.toString(target.shape()));
      }
      values.put(key, value);
    }
    values.forEach((k, v) -> trunk.getParam(k).assign(v));
    return mapping;
  }

  /**
   * The other direction of {@link #load}: the trunk's parameters as torchvision's state dict, through the same key
   * mapping ({@link #paramKey}) and the inverse kernel permutation, in torchvision's order ({@link
   * TorchvisionResNet#stateDict}, without {@code fc}): kernels O×I×kH×kW and the batch norms' γ, β and running
   * statistics as float32, unfused (as trained, no batch norm folded into a kernel), and each batch norm's
   * {@code num_batches_tracked} as a 0-d int64 {@code batchesTracked}. {@code torchvision.models.resnetNN()} loads
   * it with {@code fc.weight} and {@code fc.bias} missing and nothing else.
   *
   * @throws IllegalStateException when the trunk is not a {@link TrunkLayer} of {@code network} at {@code width}
   */
  public static Map<String, Tensor> stateDict(Layer trunk, TorchvisionResNet network, int width, long batchesTracked) {
    String weightsFormat = ((TrunkLayer) trunk.conf().getLayer()).getWeightsFormat();
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : network.stateDict(width, 0).entrySet()) {
      if (e.getKey().endsWith("." + TorchvisionResNet.BATCHES_TRACKED)) {
        out.put(e.getKey(), Tensor.ofLongs(new long[0], new long[] {batchesTracked}));
        continue;
      }
      String key = paramKey(e.getKey());
      INDArray p = trunk.getParam(key);
      if (p == null) {
        throw new IllegalStateException("the trunk has no parameter " + key + " for " + e.getKey());
      }
      INDArray value = key.endsWith("W") ? oihw(p, weightsFormat) : p;
      if (value.length() != Tensor.numel(e.getValue())
          || key.endsWith("W") && !java.util.Arrays.equals(value.shape(), e.getValue())) {
        throw new IllegalStateException(key + " as " + e.getKey() + ": shape " + java.util.Arrays.toString(
            value.shape()) + ", torchvision's " + java.util.Arrays.toString(e.getValue()));
      }
      out.put(e.getKey(), Tensor.ofFloats(e.getValue(), value.castTo(DataType.FLOAT).dup('c').data().asFloat()));
    }
    return out;
  }

  private static INDArray array(Tensor t, DataType type) {
    return type == DataType.DOUBLE ? Nd4j.create(t.toDoubleArray(), t.shape(), DataType.DOUBLE)
        : Nd4j.create(t.toFloatArray(), t.shape(), 'c').castTo(type);
  }

  /** A trunk kernel in PyTorch's layout O×I×kH×kW: the inverse of {@link #kernel}. */
  static INDArray oihw(INDArray trunkKernel, String weightsFormat) {
    return switch (weightsFormat) {
      case "OIYX" -> trunkKernel.dup('c');
      case "YXIO" -> trunkKernel.permute(3, 2, 0, 1).dup('c');
      case "OYXI" -> trunkKernel.permute(0, 3, 1, 2).dup('c');
      default -> throw new IllegalArgumentException("weightsFormat must be OIYX, YXIO or OYXI, got " + weightsFormat);
    };
  }

  /** A PyTorch kernel (O×I×kH×kW) in the trunk's layout: YXIO, OYXI or OIYX. */
  static INDArray kernel(INDArray oihw, String weightsFormat) {
    return switch (weightsFormat) {
      case "OIYX" -> oihw;
      case "YXIO" -> oihw.permute(2, 3, 1, 0).dup('c');
      case "OYXI" -> oihw.permute(0, 2, 3, 1).dup('c');
      default -> throw new IllegalArgumentException("weightsFormat must be OIYX, YXIO or OYXI, got " + weightsFormat);
    };
  }
}
