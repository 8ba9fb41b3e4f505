package io.ibreid.ablation;

import java.util.List;

/**
 * The committed ablation run's design, in one place ({@link AblationDesign#defaults}, the command's defaults and the
 * README cite these): what is trained, on what, for how long, how often, and in which order. Changing a value here
 * changes the design; a run directory started with other values refuses to continue ({@code plan.json}).
 */
public final class AblationDefaults {
  /** SYSU main table: every variant (a config name under {@code configs/}). */
  public static final List<String> VARIANTS = List.of("baseline-ce", "ib", "vib", "vsd-shared", "vsd", "crossview",
      "full", "full-release", "full-release-terms");
  /** Seeds per variant in the SYSU main table (seed s = 1..SEEDS). */
  public static final int SEEDS = 5;
  /**
   * The fast encoder's kernels: libnd4j's ops, as the committed run (0b756b7) trained with them; oneDNN's direct
   * kernels (faster) round floats differently, so the same seeds would give other numbers.
   */
  public static final String KERNELS = "libnd4j";
  /** Training iterations per run (every run of every group). */
  public static final int ITERATIONS = 1500;
  /** Epochs the budget is split into: validation and a checkpoint after each. */
  public static final int EPOCHS = 10;
  /** Sampler: identities per batch (P). */
  public static final int IDENTITIES = 8;
  /** Sampler: images per identity (K; K/2 visible + K/2 infrared). */
  public static final int INSTANCES = 4;
  /** Training identities held out as the validation split that chooses each run's checkpoint. */
  public static final int HOLDOUT = 20;
  /** SYSU-MM01 protocol: random galleries per evaluation (single-shot, all-search and indoor). */
  public static final int SYSU_TRIALS = 10;
  /** The SYSU-layout lab (relative to the ibreid folder). */
  public static final String SYSU_DATA = "data/lab-sysu";

  /** z-dim sweep: the swept config. */
  public static final String ZDIM_VARIANT = "vsd-shared";
  /** z-dim sweep: z = D / f for each f (D = the encoder's observation size: 8, 16, 32, 64, 128 for D = 512). */
  public static final List<Integer> ZDIM_DIVISORS = List.of(64, 32, 16, 8, 4);
  /** z-dim sweep: the paper's claimed optimum, D / 8. */
  public static final int ZDIM_CLAIMED_DIVISOR = 8;
  /** z-dim sweep: seeds. */
  public static final int ZDIM_SEEDS = 3;

  /** RegDB-layout lab: variants. */
  public static final List<String> REGDB_VARIANTS = List.of("baseline-ce", "vsd-shared", "crossview", "full");
  /**
   * RegDB-layout lab: seeds. One: every trial is its own identity split and its own training run, so the 10 trials
   * are 10 paired replicates (variants share the split and the seed); 3 seeds x 10 trials would be 120 runs, about
   * 9 hours on 2 cores.
   */
  public static final int REGDB_SEEDS = 1;
  /** RegDB-layout lab: trials (each its own train/test split of the identities, so its own training run). */
  public static final int REGDB_TRIALS = 10;
  /** RegDB-layout lab (relative to the ibreid folder), data type {@code synthetic-regdb}. */
  public static final String REGDB_DATA = "data/lab-regdb";
  public static final String REGDB_TYPE = "synthetic-regdb";

  /** Probe table: the seed whose best checkpoint is probed, and the outputs probed. */
  public static final int PROBE_SEED = 1;
  public static final List<String> PROBE_OUTPUTS = List.of("v", "z");
  /** Probes fitted at the same time (the numbers do not depend on it). */
  public static final int PROBE_THREADS = 2;

  /** The variants every other is paired against. */
  public static final List<String> REFERENCES = List.of("baseline-ce", "ib");

  /**
   * One paired comparison between two rows of the SYSU table (a row is a variant, or {@code variant [feature set]}),
   * described by what differs between them.
   */
  public record Comparison(String row, String reference, String differs) {}

  /**
   * The release-faithful variants against the paper-faithful ones, paired by seed. Descriptive: no verdict uses
   * them. They show how much the authors' code (its way of using three branches, its KL form and its deterministic
   * bottleneck) and the paper's equations differ in effect.
   */
  public static final List<Comparison> RELEASE_COMPARISONS = List.of(
      new Comparison("full-release", "full", "the release's three-branch design: every image through every branch "
          + "(a grayscale copy for the infrared one), test feature the concatenation; against the paper's design "
          + "and its test feature (the shared branch's z)"),
      new Comparison("full-release [shared-z]", "full", "the release's three-branch design, on the same test "
          + "feature as the paper's (the shared branch's z)"),
      new Comparison("full-release-terms", "full-release", "the release's KL form and deterministic bottleneck "
          + "in place of the paper's equations, same design and test feature (the concatenation)"),
      new Comparison("full-release-terms [shared-z]", "full-release [shared-z]", "the release's terms, on the "
          + "shared branch's z"));

  private AblationDefaults() {}

  /** The learning-rate milestone: the epoch at three quarters of the schedule (8 of 10). */
  public static int milestone(int epochs) {
    return Math.max(1, (int) Math.round(epochs * 0.75));
  }
}
