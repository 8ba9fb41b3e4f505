package io.ibreid.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Time per vertex of one training-mode forward and backward pass, run vertex by vertex in topological order without
 * workspaces (so absolute times are a little higher than the graph's own pass). External errors for the graph
 * outputs are random. Used to find where a training step spends its time.
 */
public final class LayerProfile {
  /** Nanoseconds per vertex, forward and backward, summed over the profiled passes. */
  public record Times(Map<String, long[]> byVertex, Map<String, String> kind) {}

  private LayerProfile() {}

  public static Times profile(ComputationGraph graph, INDArray[] inputs, int passes) {
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    GraphVertex[] vertices = graph.getVertices();
    int[] order = graph.topologicalSortOrder();
    java.util.List<String> inputNames = graph.getConfiguration().getNetworkInputs();
    java.util.List<String> outputNames = graph.getConfiguration().getNetworkOutputs();
    Map<String, long[]> times = new LinkedHashMap<>();
    Map<String, String> kind = new LinkedHashMap<>();
    for (int idx : order) {
      GraphVertex v = vertices[idx];
      if (!v.isInputVertex()) {
        times.put(v.getVertexName(), new long[2]);
        kind.put(v.getVertexName(), v.hasLayer() ? v.getLayer().getClass().getSimpleName()
            : v.getClass().getSimpleName());
      }
    }
    for (int pass = 0; pass < passes; pass++) {
      Map<Integer, INDArray> act = new HashMap<>();
      for (int idx : order) {
        GraphVertex v = vertices[idx];
        if (v.isInputVertex()) {
          act.put(idx, inputs[inputNames.indexOf(v.getVertexName())]);
          continue;
        }
        VertexIndices[] in = v.getInputVertices();
        for (int k = 0; k < in.length; k++) {
          v.setInput(k, act.get(in[k].getVertexIndex()), mgr);
        }
        long t0 = System.nanoTime();
        INDArray out = v.doForward(true, mgr);
        times.get(v.getVertexName())[0] += System.nanoTime() - t0;
        act.put(idx, out);
      }
      Map<Integer, INDArray> eps = new HashMap<>();
      for (int i = order.length - 1; i >= 0; i--) {
        GraphVertex v = vertices[order[i]];
        if (v.isInputVertex()) {
          continue;
        }
        INDArray e = eps.get(order[i]);
        if (outputNames.contains(v.getVertexName())) {
          e = Nd4j.randn(act.get(order[i]).dataType(), act.get(order[i]).shape()).muli(1e-3);
        }
        if (e == null) {
          continue;
        }
        v.setEpsilon(e);
        long t0 = System.nanoTime();
        Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray[]> r = v.doBackward(false, mgr);
        times.get(v.getVertexName())[1] += System.nanoTime() - t0;
        VertexIndices[] in = v.getInputVertices();
        for (int k = 0; k < in.length; k++) {
          INDArray g = r.getSecond()[k];
          if (g == null) {
            continue;
          }
          eps.merge(in[k].getVertexIndex(), g.dup(), INDArray::addi);
        }
      }
      for (GraphVertex v : vertices) {
        v.clear();
      }
    }
    return new Times(times, kind);
  }
}
