package io.ibreid.core.objective;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.OutputKey;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.ConfigException;
import io.ibreid.core.branch.WiredBatch;
import io.ibreid.core.loss.LossInput;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.random.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The weighted sum of loss terms over a model's outputs. Given the outputs of one forward pass and the
 * {@link WiredBatch} that pass read, it evaluates every term on the rows its slots are bound to (with those rows'
 * labels, both from the batch) and returns dTotal/dOutput for each graph output (the external errors), plus every
 * term's value for logging and, among the diagnostics, {@code LABEL.gradNorm}: the Euclidean norm of the term's
 * weighted gradients over all its inputs (how hard it pushes on the graph, whatever its value).
 */
public final class Objective {
  /** A term with its label, weight and slot bindings. */
  public record BoundTerm(String label, double weight, LossTerm term, List<Slot> slots, Map<String, OutputKey> inputs) {
    public BoundTerm {
      inputs = Map.copyOf(inputs);
      slots = List.copyOf(slots);
    }
  }

  /** Result of one evaluation. */
  public record Evaluation(double total, Map<String, Double> values, Map<String, Double> diagnostics,
      INDArray[] errors, String nonFiniteTerm) {}

  private final List<BoundTerm> terms;
  /** Per term, slot name → index of the graph output it reads. */
  private final List<Map<String, Integer>> outputIndex;
  private final long seed;

  /** Binds {@code terms} to {@code model}'s outputs; every slot must be bound to an output the model produces. */
  public Objective(ReidModel model, List<BoundTerm> terms, long seed) {
    this.terms = List.copyOf(terms);
    this.seed = seed;
    this.outputIndex = new ArrayList<>();
    for (BoundTerm t : terms) {
      Map<String, Integer> index = new LinkedHashMap<>();
      for (Slot s : t.slots()) {
        OutputKey key = t.inputs().get(s.name());
        if (key == null) {
          throw new ConfigException("loss term [" + t.label() + "] has no binding for its input [" + s.name() + "]");
        }
        if (model.outputIndex(key.branch(), key.output()) < 0) {
          throw new ConfigException("loss term [" + t.label() + "] reads [" + key + "], which no branch produces; "
              + "outputs: " + model.outputs());
        }
        index.put(s.name(), model.outputIndex(key.branch(), key.output()));
      }
      outputIndex.add(Map.copyOf(index));
      for (String slot : t.inputs().keySet()) {
        if (t.slots().stream().noneMatch(s -> s.name().equals(slot))) {
          throw new ConfigException("loss term [" + t.label() + "] has no input named [" + slot + "]; its inputs are "
              + t.slots().stream().map(Slot::name).toList());
        }
      }
    }
  }

  public List<BoundTerm> terms() {
    return terms;
  }

  /**
   * Evaluates all terms on the {@code outputs} of a forward pass over {@code batch}. When a term's value or gradient is
   * not finite, evaluation stops and the result names the term ({@code nonFiniteTerm}); errors are then zero.
   */
  public Evaluation evaluate(INDArray[] outputs, WiredBatch batch, long iteration) {
    INDArray[] errors = new INDArray[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      errors[i] = outputs[i].ulike().assign(0);
    }
    Map<String, Double> values = new LinkedHashMap<>();
    Map<String, Double> diagnostics = new LinkedHashMap<>();
    double total = 0;
    for (int ti = 0; ti < terms.size(); ti++) {
      BoundTerm t = terms.get(ti);
      Map<String, Integer> index = outputIndex.get(ti);
      Map<String, WiredBatch.Rows> ranges = new LinkedHashMap<>();
      for (Slot s : t.slots()) {
        ranges.put(s.name(), batch.rows(t.inputs().get(s.name())));
      }
      LossInput input = new LossInput() {
        @Override
        public INDArray get(String slot) {
          WiredBatch.Rows r = range(slot);
          INDArray all = outputs[index.get(slot)];
          return r.all(all.rows()) ? all : all.get(NDArrayIndex.interval(r.first(), r.first() + r.count()),
              NDArrayIndex.all());
        }

        @Override
        public int[] labels(String slot) {
          return range(slot).labels().clone();
        }

        @Override
        public long iteration() {
          return iteration;
        }

        @Override
        public Random random() {
          return new Random(Seeds.derive(seed, iteration, "loss:" + t.label()));
        }

        private WiredBatch.Rows range(String slot) {
          WiredBatch.Rows r = ranges.get(slot);
          if (r == null) {
            throw new IllegalArgumentException("loss term " + t.label() + " has no slot " + slot);
          }
          return r;
        }
      };
      LossResult result = t.term().compute(input);
      if (!Double.isFinite(result.value())) {
        return new Evaluation(Double.NaN, values, diagnostics, errors, t.label());
      }
      values.put(t.label(), result.value());
      // by name: terms build their diagnostics with Map.of, whose order differs from one JVM to the next
      new TreeMap<>(result.diagnostics()).forEach((k, v) -> diagnostics.put(t.label() + "." + k, v));
      total += t.weight() * result.value();
      double gradSquares = 0;
      for (Map.Entry<String, INDArray> g : result.gradients().entrySet()) {
        Slot slot = t.slots().stream().filter(s -> s.name().equals(g.getKey())).findFirst()
            .orElseThrow(() -> new IbreidException("loss term [" + t.label() + "] returned a gradient for unknown "
                + "input [" + g.getKey() + "]"));
        if (!slot.receivesGradient()) {
          throw new IbreidException("loss term [" + t.label() + "] returned a gradient for its stop-gradient input ["
              + slot.name() + "]");
        }
        INDArray grad = g.getValue();
        if (grad.isNaN().any() || grad.isInfinite().any()) {
          return new Evaluation(Double.NaN, values, diagnostics, errors, t.label());
        }
        double norm = grad.norm2Number().doubleValue() * Math.abs(t.weight());
        gradSquares += norm * norm;
        if (t.weight() == 0) {
          continue;
        }
        WiredBatch.Rows r = ranges.get(slot.name());
        INDArray target = errors[index.get(slot.name())];
        INDArray rows = r.all(target.rows()) ? target
            : target.get(NDArrayIndex.interval(r.first(), r.first() + r.count()), NDArrayIndex.all());
        rows.addi(grad.castTo(target.dataType()).mul(t.weight()));
      }
      // the size of the term's push on the graph: the norm of its weighted gradients over all its inputs
      diagnostics.put(t.label() + ".gradNorm", Math.sqrt(gradSquares));
    }
    return new Evaluation(total, values, diagnostics, errors, null);
  }

  /** Lets terms with their own parameters step them. */
  public void updateTerms(long iteration, double learningRate) {
    for (BoundTerm t : terms) {
      t.term().update(iteration, learningRate);
    }
  }
}
