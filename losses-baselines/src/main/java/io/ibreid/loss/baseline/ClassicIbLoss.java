package io.ibreid.loss.baseline;

import io.ibreid.core.ConfigException;
import io.ibreid.core.IbreidException;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossInput;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.OutputNames;
import io.ibreid.core.loss.ProbabilityMath;
import io.ibreid.core.loss.Slot;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The classic information-bottleneck objective {@code −I(z;y) + β·I(v;z)} with a neural MI estimator, the
 * baseline the paper replaces. {@code I(z;y) ≥ H(y) − CE}, so −I(z;y) is bounded by the identity cross-entropy of
 * the representation classifier (H(y) is constant). I(v;z) is estimated by a trainable critic T(v,z) from the
 * batch's pairs (v_i, z_i) against negatives (v_π(i), z_i), π a random derangement drawn from
 * {@link LossInput#random()}. The value is {@code CE + β·B}, B the chosen lower bound:
 * <ul>
 *   <li>{@code jsd} (default): {@code B = mean −softplus(−T(pos)) − mean softplus(T(neg))} (Jensen-Shannon,
 *       Hjelm et al. 2019; stable, and its optimal critic is the log density ratio);</li>
 *   <li>{@code nwj}: {@code B = mean T(pos) − mean e^{T(neg) − 1}} (Nguyen-Wainwright-Jordan);</li>
 *   <li>{@code dv}: {@code B = mean T(pos) − log mean e^{T(neg)}} (Donsker-Varadhan, MINE without its moving
 *       average).</li>
 * </ul>
 *
 * <p>Gradient flow: the critic maximises B; it is not part of the model graph and is stepped in {@link #update}
 * with its own Adam (learning rate {@code criticLr}) from the gradient recorded in the last {@link #compute}. The
 * encoder and bottleneck minimise: they receive {@code β·∂B/∂v} and {@code β·∂B/∂z} through the {@code v} and
 * {@code z} slots (the critic held fixed), and the classifier/bottleneck receive the cross-entropy gradient through
 * {@code z_logits}. Diagnostics: {@code ce}, {@code bound} (B) and {@code mi}, the Donsker-Varadhan estimate of
 * I(v;z) in nats from the current critic, whatever bound trains it.
 */
public final class ClassicIbLoss implements LossTerm {
  /** Parameters of {@code ib}. */
  public static final class Params {
    /** β, the weight of I(v;z) against the cross-entropy bound of −I(z;y). */
    public double beta = 0.1;
    /** Lower bound on I(v;z) that the critic maximises and the encoder minimises: jsd, nwj or dv. */
    public String estimator = "jsd";
    /** Hidden width of the critic T(v,z). */
    public int hidden = 256;
    /** The critic's own Adam learning rate (the model's schedule does not apply to it). */
    public double criticLr = 1e-3;
    /** Label smoothing of the cross-entropy bound (0 = the plain bound). */
    public double epsilon = 0.0;
  }

  /** Representation-classifier logits: the cross-entropy bound on −I(z;y). */
  public static final String Z_LOGITS = OutputNames.Z_LOGITS;
  /** The observation v. */
  public static final String V = OutputNames.V;
  /** The representation z. */
  public static final String Z = OutputNames.Z;

  /** The supported bounds. */
  enum Bound {
    JSD, NWJ, DV;

    static Bound parse(String s) {
      for (Bound b : values()) {
        if (b.name().toLowerCase(Locale.ROOT).equals(s)) {
          return b;
        }
      }
      throw new ConfigException("ib: params.estimator = [" + s + "], expected one of [jsd, nwj, dv]");
    }
  }

  private final double beta;
  private final Bound bound;
  private final double criticLr;
  private final double epsilon;
  private final String label;
  private final MiCritic critic;
  private final int observationWidth;

  public ClassicIbLoss(Params p, int observationWidth, int representationWidth, long seed, String label) {
    if (!(p.beta >= 0) || Double.isInfinite(p.beta)) {
      throw new ConfigException("ib: params.beta must be a finite number >= 0, got " + p.beta);
    }
    if (p.hidden <= 0) {
      throw new ConfigException("ib: params.hidden must be > 0, got " + p.hidden);
    }
    if (!(p.criticLr > 0) || Double.isInfinite(p.criticLr)) {
      throw new ConfigException("ib: params.criticLr must be a finite number > 0, got " + p.criticLr);
    }
    if (!(p.epsilon >= 0 && p.epsilon < 1)) {
      throw new ConfigException("ib: params.epsilon must be in [0, 1), got " + p.epsilon);
    }
    this.beta = p.beta;
    this.bound = Bound.parse(p.estimator);
    this.criticLr = p.criticLr;
    this.epsilon = p.epsilon;
    this.label = label;
    this.observationWidth = observationWidth;
    this.critic = new MiCritic(observationWidth + representationWidth, p.hidden, seed);
  }

  @Override
  public LossResult compute(LossInput input) {
    INDArray logits = input.get(Z_LOGITS);
    DataType dt = logits.dataType();
    INDArray v = input.get(V).castTo(dt);
    INDArray z = input.get(Z).castTo(dt);
    int n = (int) v.rows();
    if (n < 2 || z.rows() != n || v.columns() + z.columns() != critic.inputs() || v.columns() != observationWidth) {
      throw new IbreidException("ib [" + label + "]: needs at least 2 rows of v (" + observationWidth + " wide) and z ("
          + (critic.inputs() - observationWidth) + " wide), got v " + java.util.Arrays.toString(v.shape()) + " and z "
          + java.util.Arrays.toString(z.shape()));
    }

    // Cross-entropy bound on −I(z;y).
    INDArray logP = ProbabilityMath.logSoftmax(logits, 1.0);
    INDArray target = ProbabilityMath.smoothedTargets(input.labels(Z_LOGITS), (int) logits.columns(), epsilon, dt);
    long rows = logits.rows();
    double ce = -target.mul(logP).sumNumber().doubleValue() / rows;
    INDArray gLogits = Transforms.exp(logP, false).subi(target).divi(rows);

    // Critic on positives (v_i, z_i) and negatives (v_π(i), z_i).
    int[] perm = derangement(n, input.random());
    int[] inverse = new int[n];
    for (int i = 0; i < n; i++) {
      inverse[perm[i]] = i;
    }
    // Nd4j.pullRows is one native gather; INDArray.getRows copies row by row (measured ~100x slower at 256 rows).
    INDArray x = Nd4j.vstack(Nd4j.hstack(v, z), Nd4j.hstack(Nd4j.pullRows(v, 1, perm), z));
    MiCritic.Pass pass = critic.forward(x);
    INDArray tPos = pass.output().get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
    INDArray tNeg = pass.output().get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all());
    double meanPos = tPos.meanNumber().doubleValue();
    double logMeanExpNeg = logSumExp(tNeg) - Math.log(n);
    double b;
    INDArray dPos;
    INDArray dNeg;
    switch (bound) {
      case JSD -> {
        b = -softplus(tPos.neg()).meanNumber().doubleValue() - softplus(tNeg).meanNumber().doubleValue();
        dPos = Transforms.sigmoid(tPos.neg(), false).divi(n);
        dNeg = Transforms.sigmoid(tNeg, true).negi().divi(n);
      }
      case NWJ -> {
        INDArray e = Transforms.exp(tNeg.sub(1), false);
        b = meanPos - e.meanNumber().doubleValue();
        dPos = tPos.ulike().assign(1.0 / n);
        dNeg = e.negi().divi(n);
      }
      default -> {
        b = meanPos - logMeanExpNeg;
        dPos = tPos.ulike().assign(1.0 / n);
        dNeg = Transforms.exp(tNeg.sub(logSumExp(tNeg)), false).negi();
      }
    }
    INDArray dX = critic.backward(pass, Nd4j.vstack(dPos, dNeg));
    long d = observationWidth;
    INDArray dxPos = dX.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
    INDArray dxNeg = dX.get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all());
    // Gradients are returned in 'c' order: row-major, like the arrays they belong to.
    INDArray gV = Nd4j.pullRows(dxNeg.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)), 1, inverse)
        .addi(dxPos.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d))).muli(beta).dup('c');
    INDArray gZ = dxPos.get(NDArrayIndex.all(), NDArrayIndex.interval(d, x.columns()))
        .add(dxNeg.get(NDArrayIndex.all(), NDArrayIndex.interval(d, x.columns()))).muli(beta).dup('c');
    double mi = meanPos - logMeanExpNeg;
    return new LossResult(ce + beta * b, Map.of(Z_LOGITS, gLogits.dup('c'), V, gV, Z, gZ),
        Map.of("ce", ce, "bound", b, "mi", mi));
  }

  /** Steps the critic up its bound with its own Adam; the trainer's learning rate is not used. */
  @Override
  public void update(long iteration, double learningRate) {
    critic.ascend(criticLr);
  }

  @Override
  public Map<String, INDArray> state() {
    return critic.state();
  }

  @Override
  public void loadState(Map<String, INDArray> state) {
    critic.loadState(state, label);
  }

  /** softplus(x) = max(x, 0) + log(1 + e^{−|x|}), stable for large |x|. */
  private static INDArray softplus(INDArray x) {
    INDArray tail = Transforms.log(Transforms.exp(Transforms.abs(x, true).negi(), false).addi(1), false);
    return Transforms.relu(x, true).addi(tail);
  }

  private static double logSumExp(INDArray x) {
    double max = x.maxNumber().doubleValue();
    return max + Math.log(Transforms.exp(x.sub(max), false).sumNumber().doubleValue());
  }

  /** A uniformly random cyclic permutation (Sattolo's algorithm): no row is its own negative. */
  static int[] derangement(int n, Random r) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The {@code ib} plug-in. */
  public static final class Factory implements LossFactory<Params> {
    @Override
    public String name() {
      return "ib";
    }

    @Override
    public String description() {
      return "classic IB baseline: CE(z) + beta*I(v;z), I estimated by a trained critic (beta, estimator "
          + "jsd|nwj|dv, hidden, criticLr)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public List<Slot> slots(Params params) {
      return List.of(
          Slot.differentiable(Z_LOGITS, "representation logits p(y|z), rows labelled: the CE bound on -I(z;y)"),
          Slot.differentiable(V, "observation v: first argument of the critic"),
          Slot.differentiable(Z, "representation z, same rows as v: second argument of the critic"));
    }

    /** Any branch: its z_logits, v and z over all its rows. */
    @Override
    public Map<String, String> defaultInputs(String branch, Params params) {
      return Map.of(Z_LOGITS, branch + "." + Z_LOGITS, V, branch + "." + V, Z, branch + "." + Z);
    }

    @Override
    public LossTerm create(Params params, LossContext context) {
      long seed = context.seed() * 0x9E3779B97F4A7C15L + context.label().hashCode();
      return new ClassicIbLoss(params, context.width(V), context.width(Z), seed, context.label());
    }
  }
}
