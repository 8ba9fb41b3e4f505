package io.ibreid.core.bottleneck;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * The information bottleneck of a branch: maps the observation {@code v} (N×D) to the representation {@code z}
 * (N×{@link #representationSize()}).
 *
 * <p>A bottleneck adds its vertices to the branch's graph (names prefixed with {@code prefix}) and reports the vertex
 * producing {@code z} plus any extra named outputs (a Gaussian bottleneck exposes {@code mu} and {@code logvar}),
 * which loss terms can read as {@code branch.name}. A stochastic bottleneck declares {@link #noise()} inputs: the
 * trainer feeds each a fresh N×size standard-normal array per step from the run's seeded random stream, and zeros at
 * inference, so {@code z} is deterministic at test time.
 */
public interface Bottleneck {
  /** A per-row noise input the trainer must feed: graph input {@code prefix + name}, N×size. */
  record NoiseInput(String name, int size) {}

  /** Where the bottleneck's outputs live in the graph. */
  record Outputs(String representation, Map<String, String> extras) {
    public Outputs {
      extras = Map.copyOf(extras);
    }
  }

  /** The noise inputs this bottleneck reads; empty for a deterministic one. */
  default List<NoiseInput> noise() {
    return List.of();
  }

  /**
   * Adds the bottleneck. {@code noiseInputs} maps each {@link NoiseInput#name()} to the graph input vertex already
   * added for it.
   */
  Outputs addTo(GraphBuilder graph, String observation, int observationSize, String prefix,
      Map<String, String> noiseInputs);

  /** The width of {@code z}. */
  int representationSize();

  /**
   * The names of the extra outputs {@link #addTo} will report (e.g. {@code mu}, {@code logvar}), so that configs
   * reading them can be checked before a graph is built; empty by default.
   */
  default List<String> extraOutputs() {
    return List.of();
  }

  /**
   * Adds the identity classifier p(y|z) that reads {@code representation} and returns its logits vertex
   * ({@code numClasses} columns, identity activation: heads receive external errors), or {@code null} (the default)
   * to let the model add its usual bias-free linear head. Vertex names must start with {@code prefix}.
   */
  default String addClassifier(GraphBuilder graph, String representation, int numClasses, String prefix) {
    return null;
  }
}
