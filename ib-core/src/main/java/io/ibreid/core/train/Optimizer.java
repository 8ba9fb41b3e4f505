package io.ibreid.core.train;

import io.ibreid.core.IbreidException;
import io.ibreid.core.config.RunConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The trainer's optimiser: Adam whose learning rate follows a schedule, with L2 weight decay added to the gradient (as
 * PyTorch's {@code Adam(weight_decay=...)}), stepping a model's graph. It is the one place that reaches into the DL4J
 * graph's updater, parameters and step counters. DL4J keeps an updater's settings in the layers' configuration and its
 * moments next to the parameters, so the constructor installs Adam in every trainable layer (replacing the
 * {@code NoOp} a model is built with) and a fresh updater in the graph; the model zip a checkpoint writes then holds
 * the moments, and {@link #restore} reads them back.
 */
public final class Optimizer {
  private final ComputationGraph graph;
  private final ISchedule learningRate;

  /** Installs Adam({@code learningRate}) and L2 {@code weightDecay} (none when 0) in {@code graph}'s layers. */
  public Optimizer(ComputationGraph graph, ISchedule learningRate, double weightDecay) {
    this.graph = graph;
    this.learningRate = learningRate;
    Adam adam = new Adam(learningRate);
    for (Layer layer : layers(graph)) {
      if (layer instanceof BaseLayer trainable) {
        trainable.setIUpdater(adam.clone());
        List<Regularization> decay = new ArrayList<>();
        if (weightDecay > 0) {
          decay.add(new L2Regularization(weightDecay));
        }
        trainable.setRegularization(decay);
      }
    }
    graph.setUpdater(new ComputationGraphUpdater(graph));
  }

  /**
   * The run's optimiser: {@code optimizer.lr} and {@code optimizer.weightDecay}, the learning rate following
   * {@code schedule} ({@link WarmupStepSchedule}, whose epochs are {@code batchesPerEpoch} steps).
   */
  public static Optimizer of(RunConfig config, ComputationGraph graph, int batchesPerEpoch) {
    RunConfig.Schedule s = config.schedule;
    return new Optimizer(graph, WarmupStepSchedule.fromEpochs(config.optimizer.lr, s.warmupEpochs, s.warmupFactor,
        s.milestones, s.gamma, batchesPerEpoch), config.optimizer.weightDecay);
  }

  /** The learning rate of step {@code iteration} (0-based) in {@code epoch}. */
  public double learningRate(long iteration, int epoch) {
    return learningRate.valueAt((int) iteration, epoch);
  }

  /**
   * One Adam step down {@code gradient} (the graph's flattened gradient view, which this changes) for step
   * {@code iteration}; {@code batchSize} images went into it. Advances the graph's step counters.
   */
  public void step(Gradient gradient, long iteration, int epoch, int batchSize) {
    INDArray flat = gradient.gradient();
    graph.getUpdater().update(gradient, (int) iteration, epoch, batchSize, LayerWorkspaceMgr.noWorkspaces());
    graph.params().subi(flat);
    graph.getConfiguration().setIterationCount((int) iteration + 1);
    graph.getConfiguration().setEpochCount(epoch);
  }

  /** The Adam moments of every parameter (a view of the graph's updater state). */
  public INDArray state() {
    return graph.getUpdater().getStateViewArray();
  }

  /** Restores the moments and step counters saved with the parameters in a model zip of the same configuration. */
  public void restore(Path modelZip) throws IOException {
    ComputationGraph saved = ModelSerializer.restoreComputationGraph(modelZip.toFile(), true);
    INDArray moments = saved.getUpdater() == null ? null : saved.getUpdater().getStateViewArray();
    if (moments == null || moments.length() != state().length()) {
      throw new IbreidException("checkpoint " + modelZip + " holds " + (moments == null ? "no" : moments.length())
          + " optimiser state values, the configured model's Adam has " + state().length());
    }
    state().assign(moments);
    graph.getConfiguration().setIterationCount(saved.getConfiguration().getIterationCount());
    graph.getConfiguration().setEpochCount(saved.getConfiguration().getEpochCount());
  }

  /** Every layer configuration of the graph, once: the serialised configuration's and the running layers'. */
  private static List<Layer> layers(ComputationGraph graph) {
    Set<Layer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Layer> out = new ArrayList<>();
    for (GraphVertex v : graph.getConfiguration().getVertices().values()) {
      if (v instanceof LayerVertex lv && seen.add(lv.getLayerConf().getLayer())) {
        out.add(lv.getLayerConf().getLayer());
      }
    }
    for (org.deeplearning4j.nn.api.Layer l : graph.getLayers()) {
      if (seen.add(l.conf().getLayer())) {
        out.add(l.conf().getLayer());
      }
    }
    return out;
  }
}
