package io.ibreid.core.testing;

import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.LossInput;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.train.Objective;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite-difference gradient checks in double precision, for a loss term alone and for a whole model graph
 * with its objective (external errors through every branch).
 */
public final class GradientChecks {
  /** The noise seed {@link #checkModel} feeds the model's stochastic inputs (e.g. the VIB bottleneck). */
  public static final long NOISE_SEED = 42;
  private GradientChecks() {}

  /** Largest relative error found, and where. */
  public record Report(double maxRelativeError, String worst, int checked, Map<String, Boolean> gradientReturned) {}

  /** A fixed-input {@link LossInput} for term tests. */
  public static LossInput input(Map<String, INDArray> arrays, Map<String, int[]> labels, long iteration) {
    return new LossInput() {
      @Override
      public INDArray get(String slot) {
        INDArray a = arrays.get(slot);
        if (a == null) {
          throw new IllegalArgumentException("no slot " + slot);
        }
        return a;
      }

      @Override
      public int[] labels(String slot) {
        return labels.get(slot);
      }

      @Override
      public long iteration() {
        return iteration;
      }

      @Override
      public Random random() {
        return new Random(iteration * 31 + 7);
      }
    };
  }

  /**
   * Checks every element of every differentiable slot's gradient against central differences with step h; records
   * which slots received a gradient (stop-gradient slots must not).
   */
  public static Report checkTerm(LossTerm term, List<Slot> slots, Map<String, INDArray> arrays,
      Map<String, int[]> labels, double h) {
    Map<String, INDArray> x = new LinkedHashMap<>();
    arrays.forEach((k, v) -> x.put(k, v.castTo(DataType.DOUBLE).dup()));
    LossResult base = term.compute(input(x, labels, 0));
    Map<String, Boolean> returned = new LinkedHashMap<>();
    double worst = 0;
    String where = "";
    int checked = 0;
    for (Slot s : slots) {
      INDArray g = base.gradients().get(s.name());
      returned.put(s.name(), g != null);
      if (!s.receivesGradient() || g == null) {
        continue;
      }
      INDArray a = x.get(s.name());
      for (long linear = 0; linear < a.length(); linear++) {
        // Gradients may come back 'f'-ordered (e.g. from mmul): address elements by coordinates.
        long[] i = org.nd4j.linalg.api.shape.Shape.ind2subC(a, linear);
        double orig = a.getDouble(i);
        a.putScalar(i, orig + h);
        double up = term.compute(input(x, labels, 0)).value();
        a.putScalar(i, orig - h);
        double down = term.compute(input(x, labels, 0)).value();
        a.putScalar(i, orig);
        double numeric = (up - down) / (2 * h);
        double analytic = g.getDouble(i);
        double rel = relative(analytic, numeric);
        checked++;
        if (rel > worst) {
          worst = rel;
          where = s.name() + java.util.Arrays.toString(i) + " analytic " + analytic + " numeric " + numeric;
        }
      }
    }
    return new Report(worst, where, checked, returned);
  }

  /**
   * |a − n| / max(|a|, |n|); an absolute difference below 1e-9 (the resolution of central differences in double
   * precision for these step sizes) is returned as is, so vanishing gradients do not fail on rounding noise.
   */
  public static double relative(double analytic, double numeric) {
    double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
    double diff = Math.abs(analytic - numeric);
    return diff < 1e-9 ? diff : diff / scale;
  }

  /**
   * Checks the gradient of the objective's total with respect to every trainable parameter of a double-precision
   * model (BatchNorm running statistics excluded: they are not parameters of the loss), element by element for at
   * most {@code perParameter} elements of each parameter array.
   */
  public static Report checkModel(ReidModel model, Objective objective, CrossModalBatch batch, double h,
      int perParameter, long seed) {
    INDArray[] inputs = model.trainingInputs(batch, NOISE_SEED);
    double[] value = new double[1];
    Gradient g = model.graph().forwardBackward(inputs, outs -> {
      Objective.Evaluation e = objective.evaluate(outs, batch, 0);
      value[0] = e.total();
      return e.errors();
    });
    Map<String, INDArray> analytic = new LinkedHashMap<>();
    g.gradientForVariable().forEach((k, v) -> analytic.put(k, v.dup()));
    Map<String, INDArray> params = model.graph().paramTable();
    Random r = new Random(seed);
    double worst = 0;
    String where = "";
    int checked = 0;
    for (Map.Entry<String, INDArray> e : params.entrySet()) {
      String key = e.getKey();
      if (key.endsWith("_mean") || key.endsWith("_var") || key.endsWith("_log10stdev")) {
        continue;
      }
      INDArray p = e.getValue();
      INDArray ga = analytic.get(key);
      long n = p.length();
      int count = (int) Math.min(n, perParameter);
      for (int c = 0; c < count; c++) {
        long linear = n <= perParameter ? c : (long) (r.nextDouble() * n);
        // Parameter views are often 'f'-ordered: address elements by coordinates, never by storage offset.
        long[] i = org.nd4j.linalg.api.shape.Shape.ind2subC(p, linear);
        double orig = p.getDouble(i);
        p.putScalar(i, orig + h);
        double up = loss(model, objective, batch, inputs);
        p.putScalar(i, orig - h);
        double down = loss(model, objective, batch, inputs);
        p.putScalar(i, orig);
        double numeric = (up - down) / (2 * h);
        double a = ga.getDouble(i);
        double rel = relative(a, numeric);
        checked++;
        if (rel > worst) {
          worst = rel;
          where = key + java.util.Arrays.toString(i) + " analytic " + a + " numeric " + numeric;
        }
      }
    }
    return new Report(worst, where, checked, Map.of());
  }

  private static double loss(ReidModel model, Objective objective, CrossModalBatch batch, INDArray[] inputs) {
    double[] v = new double[1];
    model.graph().forwardBackward(inputs, outs -> {
      Objective.Evaluation e = objective.evaluate(outs, batch, 0);
      v[0] = e.total();
      return e.errors();
    });
    return v[0];
  }
}
