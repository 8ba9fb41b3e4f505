package io.ibreid.core.testing;

import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossInput;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.WiredBatch;
import io.ibreid.core.objective.Objective;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central finite-difference gradient checks in double precision, for a loss term alone and for a whole model graph
 * with its objective (external errors through every branch). Every loss plug-in should pass
 * {@link #checkTerm(LossFactory, Object, Map, Map, double)}: it compares each element of the gradient the term returns
 * for a differentiable slot with {@code (f(x + h) - f(x - h)) / 2h}, and records which slots got a gradient (a
 * stop-gradient slot must get none). Test-framework neutral: {@link Report#requireBelow} throws an
 * {@link AssertionError}. Part of ib-core's main code so that plug-ins outside this repository can use it.
 */
public final class GradientChecks {
  /** The noise seed {@link #checkModel} feeds the model's stochastic inputs (e.g. the VIB bottleneck). */
  public static final long NOISE_SEED = 42;
  private GradientChecks() {}

  /**
   * Largest relative error found, and where; how many elements were compared; which slots returned a gradient.
   */
  public record Report(double maxRelativeError, String worst, int checked, Map<String, Boolean> gradientReturned) {
    /**
     * Throws an {@link AssertionError} unless at least one element was compared and the largest relative error is
     * below {@code tolerance}; returns this report.
     */
    public Report requireBelow(double tolerance) {
      if (checked == 0) {
        throw new AssertionError("no gradient element was checked (no differentiable slot returned a gradient: "
            + gradientReturned + ")");
      }
      if (!(maxRelativeError < tolerance)) {
        throw new AssertionError("gradient check failed: max relative error " + maxRelativeError + " >= " + tolerance
            + " at " + worst);
      }
      return this;
    }
  }

  /**
   * Checks a loss plug-in: creates its term from {@code params} (label {@code "check"}, seed 1, as many classes as
   * the largest label + 1, slot widths from the arrays' columns) and runs {@link #checkTerm(LossTerm, List, Map, Map,
   * double)} with ND4J's default data type set to double for the duration of the check. {@code arrays} holds one
   * array per slot (rows = batch); {@code labels} the identity label of each row per slot (may be empty for terms that
   * read no labels). A step {@code h} of 1e-6 suits values of order one.
   */
  public static <P> Report checkTerm(LossFactory<P> factory, P params, Map<String, INDArray> arrays,
      Map<String, int[]> labels, double h) {
    DataType floating = Nd4j.defaultFloatingPointType();
    DataType data = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      Map<String, Integer> widths = new LinkedHashMap<>();
      arrays.forEach((k, v) -> widths.put(k, (int) v.size(v.rank() - 1)));
      int classes = 1;
      for (int[] l : labels.values()) {
        for (int y : l) {
          classes = Math.max(classes, y + 1);
        }
      }
      LossTerm term = factory.create(params, new LossContext("check", 1, classes, widths));
      return checkTerm(term, factory.slots(params), arrays, labels, h);
    } finally {
      Nd4j.setDefaultDataTypes(data, floating);
    }
  }

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
  public static Report checkModel(ReidModel model, Objective objective, CrossModalBatch data, double h,
      int perParameter, long seed) {
    WiredBatch batch = model.wire(data);
    INDArray[] inputs = model.inputs(batch, NOISE_SEED);
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

  private static double loss(ReidModel model, Objective objective, WiredBatch batch, INDArray[] inputs) {
    double[] v = new double[1];
    model.graph().forwardBackward(inputs, outs -> {
      Objective.Evaluation e = objective.evaluate(outs, batch, 0);
      v[0] = e.total();
      return e.errors();
    });
    return v[0];
  }
}
