package io.ibreid.loss.baseline;

import io.ibreid.core.IbreidException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The statistics network T(v, z) of a neural mutual-information estimator: a one-hidden-layer ReLU MLP on the
 * concatenation [v, z], {@code T = w2ᵀ relu(W1ᵀ x + b1) + b2}. Its parameters and its own Adam moments are kept
 * in double precision; a pass runs in the input's precision. {@link #ascend} moves the parameters up the gradient
 * of the bound recorded by the last {@link #backward} (the critic maximises the bound).
 */
final class MiCritic {
  private static final List<String> NAMES = List.of("w1", "b1", "w2", "b2");
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;

  /** The arrays of one forward pass, kept for its backward pass. */
  record Pass(INDArray x, INDArray preActivation, INDArray hidden, INDArray output) {}

  private final Map<String, INDArray> params = new LinkedHashMap<>();
  private final Map<String, INDArray> m = new LinkedHashMap<>();
  private final Map<String, INDArray> v = new LinkedHashMap<>();
  private long step;
  private Map<String, INDArray> pending;

  MiCritic(int inputs, int hidden, long seed) {
    Random r = new Random(seed);
    params.put("w1", gaussian(r, inputs, hidden, Math.sqrt(2.0 / inputs)));
    params.put("b1", Nd4j.zeros(DataType.DOUBLE, 1, hidden));
    params.put("w2", gaussian(r, hidden, 1, Math.sqrt(1.0 / hidden)));
    params.put("b2", Nd4j.zeros(DataType.DOUBLE, 1, 1));
    for (String k : NAMES) {
      m.put(k, params.get(k).ulike().assign(0));
      v.put(k, params.get(k).ulike().assign(0));
    }
  }

  private static INDArray gaussian(Random r, int rows, int cols, double scale) {
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = r.nextGaussian() * scale;
      }
    }
    return Nd4j.create(a);
  }

  int inputs() {
    return (int) params.get("w1").rows();
  }

  /** T for each row of x (rows × inputs), in x's precision. */
  Pass forward(INDArray x) {
    DataType dt = x.dataType();
    INDArray pre = x.mmul(params.get("w1").castTo(dt)).addiRowVector(params.get("b1").castTo(dt));
    INDArray hidden = Transforms.relu(pre, true);
    INDArray out = hidden.mmul(params.get("w2").castTo(dt)).addi(params.get("b2").getDouble(0));
    return new Pass(x, pre, hidden, out);
  }

  /**
   * Given dB/dT (rows × 1) for a pass, records dB/dθ (to be ascended by {@link #ascend}) and returns dB/dx.
   */
  INDArray backward(Pass pass, INDArray dOut) {
    DataType dt = pass.x().dataType();
    INDArray dHidden = dOut.mmul(params.get("w2").castTo(dt).transpose());
    INDArray dPre = dHidden.muli(pass.preActivation().gt(0).castTo(dt));
    Map<String, INDArray> g = new LinkedHashMap<>();
    g.put("w1", pass.x().transpose().mmul(dPre).castTo(DataType.DOUBLE));
    g.put("b1", dPre.sum(true, 0).castTo(DataType.DOUBLE));
    g.put("w2", pass.hidden().transpose().mmul(dOut).castTo(DataType.DOUBLE));
    g.put("b2", dOut.sum(true, 0).castTo(DataType.DOUBLE));
    pending = g;
    return dPre.mmul(params.get("w1").castTo(dt).transpose());
  }

  /** One Adam step up the recorded gradient; no-op when nothing was recorded since the last step. */
  void ascend(double learningRate) {
    if (pending == null) {
      return;
    }
    step++;
    double c1 = 1 - Math.pow(BETA1, step);
    double c2 = 1 - Math.pow(BETA2, step);
    for (String k : NAMES) {
      INDArray g = pending.get(k);
      INDArray mk = m.get(k).muli(BETA1).addi(g.mul(1 - BETA1));
      INDArray vk = v.get(k).muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
      INDArray denominator = Transforms.sqrt(vk.div(c2), false).addi(EPS);
      params.get(k).addi(mk.div(c1).muli(learningRate).divi(denominator));
    }
    pending = null;
  }

  /** Parameters, Adam moments and the step count, copied. */
  Map<String, INDArray> state() {
    Map<String, INDArray> s = new LinkedHashMap<>();
    for (String k : NAMES) {
      s.put("critic." + k, params.get(k).dup());
      s.put("adam.m." + k, m.get(k).dup());
      s.put("adam.v." + k, v.get(k).dup());
    }
    s.put("adam.step", Nd4j.scalar(DataType.DOUBLE, (double) step));
    return s;
  }

  void loadState(Map<String, INDArray> s, String label) {
    for (String k : NAMES) {
      load(s, "critic." + k, params.get(k), label);
      load(s, "adam.m." + k, m.get(k), label);
      load(s, "adam.v." + k, v.get(k), label);
    }
    INDArray t = s.get("adam.step");
    if (t == null) {
      throw new IbreidException("loss term [" + label + "]: saved state has no [adam.step]");
    }
    step = (long) t.getDouble(0);
    pending = null;
  }

  private static void load(Map<String, INDArray> s, String key, INDArray target, String label) {
    INDArray a = s.get(key);
    if (a == null || !Arrays.equals(a.shape(), target.shape())) {
      throw new IbreidException("loss term [" + label + "]: saved state [" + key + "] is "
          + (a == null ? "missing" : Arrays.toString(a.shape())) + ", the configured critic needs "
          + Arrays.toString(target.shape()) + " (were params.hidden or the branch widths changed?)");
    }
    target.assign(a.castTo(DataType.DOUBLE));
  }
}
