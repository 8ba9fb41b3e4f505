package io.ibreid.core.observation;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The trunk of a branch: maps an image batch (N×C×H×W) to the observation {@code v} (N×D).
 *
 * <p>An encoder adds its layers to a branch's graph, reading the vertex named {@code input}; every vertex it adds
 * is named {@code prefix + localName} so that several branches can live in one graph. It returns the name of the
 * vertex whose activations are {@code v}. After the graph is initialised, {@link #initialise} may overwrite
 * parameters (for example with pretrained weights); it must fail with an {@link io.ibreid.core.IbreidException}
 * rather than leave random weights when the configuration asked for pretrained ones.
 */
public interface Encoder {
  /** Adds the trunk; returns the name of the vertex producing {@code v}, a 2-D array N×{@link #observationSize()}. */
  String addTo(GraphBuilder graph, String input, String prefix, ImageShape shape);

  /** D, the width of the observation {@code v}. */
  int observationSize();

  /**
   * Called once after {@code graph.init()} of a model that is not about to be restored from a checkpoint; the default
   * keeps the initialised weights.
   */
  default void initialise(ComputationGraph graph, String prefix) {}

  /**
   * What the last {@link #initialise} did, as lines for the run's log ({@code train.log}): which weights it loaded
   * from where, and how their keys mapped. Empty (the default) when it kept the initialised weights.
   */
  default List<String> initialisationReport() {
    return List.of();
  }
}
