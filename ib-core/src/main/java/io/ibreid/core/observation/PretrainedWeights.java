package io.ibreid.core.observation;

import io.ibreid.core.IbreidException;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Copies parameters between graphs by layer name, e.g. zoo weights into a branch whose names carry a prefix. */
public final class PretrainedWeights {
  private static final Logger LOG = LoggerFactory.getLogger(PretrainedWeights.class);

  private PretrainedWeights() {}

  /**
   * For each layer of {@code source} that exists in {@code target} as {@code prefix + name}, copies every parameter
   * of matching shape. Fails when a matched parameter's shape differs or when nothing matched at all.
   *
   * @return the number of parameter arrays copied
   */
  public static int copyByName(ComputationGraph source, ComputationGraph target, String prefix, String what) {
    int copied = 0;
    for (Layer layer : source.getLayers()) {
      String name = layer.conf().getLayer().getLayerName();
      Layer dest = target.getLayer(prefix + name);
      if (dest == null) {
        continue;
      }
      Map<String, INDArray> from = layer.paramTable();
      Map<String, INDArray> to = dest.paramTable();
      for (Map.Entry<String, INDArray> e : from.entrySet()) {
        INDArray t = to.get(e.getKey());
        if (t == null) {
          continue;
        }
        if (!Arrays.equals(t.shape(), e.getValue().shape())) {
          throw new IbreidException("weights from " + what + ": layer " + name + " parameter " + e.getKey()
              + " has shape " + Arrays.toString(e.getValue().shape()) + ", expected " + Arrays.toString(t.shape()));
        }
        t.assign(e.getValue().castTo(t.dataType()));
        copied++;
      }
    }
    if (copied == 0) {
      throw new IbreidException("weights from " + what + " share no layer name with the encoder (expected zoo "
          + "ResNet-50 names such as res2a_branch2a)");
    }
    LOG.info("Copied {} parameter arrays from {}", copied, what);
    return copied;
  }
}
