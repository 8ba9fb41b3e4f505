package io.ibreid.loss.vsd;

import io.ibreid.core.loss.Distillation;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossInput;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.OutputNames;
import io.ibreid.core.loss.ProbabilityMath;
import io.ibreid.core.loss.Slot;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Variational self-distillation (VSD, Tian et al. 2021, Eq. for one view): the representation's prediction
 * {@code p(y|z)} is made to match the observation's prediction {@code p(y|v)},
 * {@code L = T² · mean_i KL( softmax(v_i/T) ‖ softmax(z_i/T) )}, with the observation side as a fixed teacher
 * (stop-gradient: the observation classifier and, through it, nothing else receives this term's error).
 *
 * <p>Both distributions are computed as log-probabilities ({@link ProbabilityMath#paperKl}), so the value is the true
 * KL in nats; the public PyTorch release fed probabilities where log-probabilities belong and got a near-zero loss
 * ({@code form: release} reproduces it, {@link ProbabilityMath#releaseKl}).
 * Gradient: {@code dL/dz_i = (T/N) · (softmax(z_i/T) − softmax(v_i/T))}.
 */
public final class VariationalSelfDistillation implements LossTerm {
  /** Parameters of {@code vsd}: temperature and form ({@link Distillation.Params}). */
  public static final class Params extends Distillation.Params {}

  /** The teacher: logits of the observation classifier p(y|v); stop-gradient. */
  public static final String TEACHER = "v_logits";
  /** The student: logits of the representation classifier p(y|z). */
  public static final String STUDENT = "z_logits";

  private final Distillation kl;

  public VariationalSelfDistillation(double temperature) {
    this(temperature, "paper");
  }

  /** @param form {@code paper} or {@code release} (see {@link Distillation.Params#form}) */
  public VariationalSelfDistillation(double temperature, String form) {
    this.kl = new Distillation("vsd", temperature, form);
  }

  @Override
  public LossResult compute(LossInput input) {
    INDArray z = input.get(STUDENT);
    INDArray v = input.get(TEACHER).castTo(z.dataType());
    if (!Arrays.equals(v.shape(), z.shape())) {
      throw new IllegalArgumentException("vsd: [" + TEACHER + "] is " + Arrays.toString(v.shape()) + " but ["
          + STUDENT + "] is " + Arrays.toString(z.shape()) + "; both must be rows × classes of the same rows");
    }
    double agree = v.argMax(1).eq(z.argMax(1)).castTo(z.dataType()).meanNumber().doubleValue();
    ProbabilityMath.Divergence d = kl.divergence(v, z);
    return new LossResult(d.value(), Map.of(STUDENT, d.studentGradient()), Map.of("agreement", agree));
  }

  /** The {@code vsd} plug-in. */
  public static final class Factory implements LossFactory<Params> {
    @Override
    public String name() {
      return "vsd";
    }

    @Override
    public String description() {
      return "variational self-distillation KL(p(y|v) || p(y|z)), v side stop-gradient (temperature, default 1; "
          + "form: paper, or release for the authors' code)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public List<Slot> slots(Params params) {
      return List.of(
          Slot.stopGradient(TEACHER, "observation logits p(y|v): the teacher, receives no gradient"),
          Slot.differentiable(STUDENT, "representation logits p(y|z): the student, same rows as v_logits"));
    }

    /** Any branch: its own observation and representation classifiers over all its rows. */
    @Override
    public Map<String, String> defaultInputs(String branch, Params params) {
      return Map.of(TEACHER, branch + "." + OutputNames.V_LOGITS, STUDENT, branch + "." + OutputNames.Z_LOGITS);
    }

    @Override
    public LossTerm create(Params params, LossContext context) {
      return new VariationalSelfDistillation(params.temperature, params.form);
    }
  }
}
