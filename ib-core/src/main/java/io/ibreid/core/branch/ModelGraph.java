package io.ibreid.core.branch;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.deeplearning4j.nn.api.FwdPassType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A ComputationGraph trained with external errors: one call runs the forward pass in training mode, hands detached
 * copies of the graph outputs to a function that returns dLoss/dOutput for each, and back-propagates those errors,
 * all inside one activation-workspace scope (as {@link ComputationGraph#computeGradientAndScore()} does). This avoids
 * the "outdated workspace pointer" failure that separate {@code feedForward} + {@code backpropGradient} calls hit with
 * workspaces and BatchNorm, without the cost of {@link WorkspaceMode#NONE}.
 *
 * <p>Every output must be a non-output-layer vertex (e.g. an identity {@code ActivationLayer} tap) that feeds no
 * other vertex, so the external error is the whole gradient arriving at it.
 */
public class ModelGraph extends ComputationGraph {
  public ModelGraph(ComputationGraphConfiguration configuration) {
    super(configuration);
  }

  /**
   * Forward in training mode, then backprop of {@code errors.apply(outputs)}. The returned gradient is a view of a
   * buffer reused by the next call: use or copy it before calling again.
   */
  public Gradient forwardBackward(INDArray[] inputs, Function<INDArray[], INDArray[]> errors) {
    synchronizeIterEpochCounts();
    LayerWorkspaceMgr mgr;
    if (getConfiguration().getTrainingWorkspaceMode() == WorkspaceMode.NONE) {
      mgr = LayerWorkspaceMgr.noWorkspaces();
    } else {
      mgr = LayerWorkspaceMgr.builder()
          .with(ArrayType.ACTIVATIONS, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG)
          .with(ArrayType.INPUT, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG)
          .with(ArrayType.FF_WORKING_MEM, WS_LAYER_WORKING_MEM, WS_LAYER_WORKING_MEM_CONFIG)
          .with(ArrayType.BP_WORKING_MEM, WS_LAYER_WORKING_MEM, WS_LAYER_WORKING_MEM_CONFIG)
          .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM_CONFIG)
          .with(ArrayType.RNN_BP_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM_CONFIG)
          .with(ArrayType.UPDATER_WORKING_MEM, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG)
          .build();
    }
    mgr.setHelperWorkspacePointers(helperWorkspaces);
    List<String> outputNames = getConfiguration().getNetworkOutputs();
    try (MemoryWorkspace ws = mgr.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
      Map<String, INDArray> activations = ffToLayerActivationsInWS(true, -1, null, FwdPassType.STANDARD, false,
          inputs, null, null, false);
      INDArray[] epsilons;
      try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        INDArray[] outputs = new INDArray[outputNames.size()];
        for (int i = 0; i < outputs.length; i++) {
          outputs[i] = activations.get(outputNames.get(i)).dup();
        }
        epsilons = errors.apply(outputs);
      }
      calcBackpropGradients(false, false, epsilons);
    }
    for (GraphVertex gv : getVertices()) {
      gv.clear();
    }
    return gradient();
  }
}
