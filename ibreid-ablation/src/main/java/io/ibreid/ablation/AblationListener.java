package io.ibreid.ablation;

import io.ibreid.core.train.TrainerListener;
import io.ibreid.eval.run.RunEvaluation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What an {@link Ablation} reports while it works, called on the thread that called it, in this order: the plan,
 * the plan file's fate, then per run its start, and either its reuse or its training and evaluation; the probes
 * before the first run outside the SYSU table (or at the end); a report after every run and probe; the end. Every
 * method does nothing by default. {@code ibreid ablation} prints these as its progress lines.
 */
public interface AblationListener {
  /** What happened to {@code plan.json} before the runs: written, replaced (another design), or resumed. */
  enum PlanFile { WRITTEN, REPLACED, RESUMED }

  /** The plan is resolved (every run's config) and the data sets are fingerprinted; nothing has been checked yet. */
  default void onPlan(AblationPlan plan) {}

  /** {@code plan.json} in the ablation's folder was written, replaced or found equal and is being resumed. */
  default void onPlanFile(Path planFile, PlanFile state) {}

  /** Run {@code index} (1-based) of {@code count} starts; {@code elapsed} since the plan file was settled. */
  default void onRunStart(AblationPlan.Run run, int index, int count, Duration elapsed) {}

  /** The run's folder held a run planned differently (or by no plan), {@code why}; it was moved to {@code aside}. */
  default void onRunMovedAside(AblationPlan.Run run, String why, Path aside) {}

  /** The run was evaluated before (its {@code metrics.json} exists) and is reused. */
  default void onRunReused(AblationPlan.Run run, Path metrics) {}

  /**
   * A listener for the run's training (fresh or resumed), or null for none; closed after the training when it is
   * {@link AutoCloseable}.
   */
  default TrainerListener training(AblationPlan.Run run) {
    return null;
  }

  /** The run was trained and evaluated (the primary feature first, then each feature set); metrics.json follows. */
  default void onRunEvaluated(AblationPlan.Run run, List<RunEvaluation.SetResults> results) {}

  /** A probe of the probe seed's SYSU run starts, or is {@code reused} from its file. */
  default void onProbe(AblationPlan.Run run, boolean reused) {}

  /** ablation.md, ablation.json and the plots were rewritten ({@code markdown}: ablation.md). */
  default void onReport(Path markdown) {}

  /** Every run and probe is done and the final report written. */
  default void onFinish(Duration elapsed, Path markdown) {}
}
