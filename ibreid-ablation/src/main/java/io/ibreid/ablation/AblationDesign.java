package io.ibreid.ablation;

import java.nio.file.Path;
import java.util.List;

/**
 * What an ablation trains and reports: the options of {@code ibreid ablation}, as an immutable value. Start from
 * {@link #defaults(Path, Path, Path)} (the committed design, {@link AblationDefaults}) and change it with the
 * {@code with...} methods, each of which returns a changed copy. Values are checked when {@link Ablation} uses the
 * design, with the command's one-line messages.
 *
 * <pre>{@code
 * AblationDesign design = AblationDesign.defaults(Path.of("configs"), Path.of("data/lab-sysu"),
 *     Path.of("data/lab-regdb")).withSeeds(3).withVariants(List.of("baseline-ce", "vsd-shared"));
 * }</pre>
 */
public final class AblationDesign {
  private final Path configs;
  private final List<String> variants;
  private final int seeds;
  private final int iterations;
  private final int epochs;
  private final int sysuTrials;
  private final Path sysuData;
  private final String zdimVariant;
  private final List<Integer> zdims;
  private final int zdimSeeds;
  private final List<String> regdbVariants;
  private final int regdbSeeds;
  private final int regdbTrials;
  private final Path regdbData;
  private final boolean probes;
  private final List<String> overrides;
  private final String kernels;
  private final int probeThreads;
  /** The third design's own options, or null for the second design. */
  private final Third third;

  /**
   * What only the third design has: its blocks ({@link AblationV3.Design}), the correlated lab's folder, the finished
   * ablations runs are imported from, and the last phase to run (execution only, not part of the plan).
   */
  private record Third(AblationV3.Design design, Path corrData, List<Path> reuse, int stopAfter) {}

  private AblationDesign(Path configs, List<String> variants, int seeds, int iterations, int epochs, int sysuTrials,
      Path sysuData, String zdimVariant, List<Integer> zdims, int zdimSeeds, List<String> regdbVariants,
      int regdbSeeds, int regdbTrials, Path regdbData, boolean probes, List<String> overrides, String kernels,
      int probeThreads, Third third) {
    this.configs = nonNull(configs, "configs");
    this.variants = List.copyOf(variants);
    this.seeds = seeds;
    this.iterations = iterations;
    this.epochs = epochs;
    this.sysuTrials = sysuTrials;
    this.sysuData = nonNull(sysuData, "sysuData");
    this.zdimVariant = nonNull(zdimVariant, "zdimVariant");
    this.zdims = zdims == null ? null : List.copyOf(zdims);
    this.zdimSeeds = zdimSeeds;
    this.regdbVariants = List.copyOf(regdbVariants);
    this.regdbSeeds = regdbSeeds;
    this.regdbTrials = regdbTrials;
    this.regdbData = nonNull(regdbData, "regdbData");
    this.probes = probes;
    this.overrides = List.copyOf(overrides);
    this.kernels = nonNull(kernels, "kernels");
    this.probeThreads = probeThreads;
    this.third = third;
  }

  private static <T> T nonNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    return value;
  }

  /**
   * The committed design ({@link AblationDefaults}): its variants, seeds, budget, trials, z-dim sweep, RegDB table,
   * probes and kernels, no overrides.
   *
   * @param configs the folder of the shipped configs; a variant {@code v} is {@code configs/v.yaml}
   * @param sysuData the SYSU-layout data root (the lab is generated there when missing)
   * @param regdbData the RegDB-layout data root (likewise)
   */
  public static AblationDesign defaults(Path configs, Path sysuData, Path regdbData) {
    return new AblationDesign(configs, AblationDefaults.VARIANTS, AblationDefaults.SEEDS,
        AblationDefaults.ITERATIONS, AblationDefaults.EPOCHS, AblationDefaults.SYSU_TRIALS, sysuData,
        AblationDefaults.ZDIM_VARIANT, null, AblationDefaults.ZDIM_SEEDS, AblationDefaults.REGDB_VARIANTS,
        AblationDefaults.REGDB_SEEDS, AblationDefaults.REGDB_TRIALS, regdbData, true, List.of(),
        AblationDefaults.KERNELS, AblationDefaults.PROBE_THREADS, null);
  }

  /** The SYSU-table variants (config names under {@link #configs()}), in the order they are trained. */
  public AblationDesign withVariants(List<String> variants) {
    return new AblationDesign(configs, variants, seeds, iterations, epochs, sysuTrials, sysuData, zdimVariant, zdims,
        zdimSeeds, regdbVariants, regdbSeeds, regdbTrials, regdbData, probes, overrides, kernels, probeThreads, third);
  }

  /** Seeds per variant in the SYSU table (seed s = 1..seeds). */
  public AblationDesign withSeeds(int seeds) {
    return new AblationDesign(configs, variants, seeds, iterations, epochs, sysuTrials, sysuData, zdimVariant, zdims,
        zdimSeeds, regdbVariants, regdbSeeds, regdbTrials, regdbData, probes, overrides, kernels, probeThreads, third);
  }

  /** Training iterations of every run, split into {@code epochs} epochs (validation and a checkpoint after each). */
  public AblationDesign withBudget(int iterations, int epochs) {
    return new AblationDesign(configs, variants, seeds, iterations, epochs, sysuTrials, sysuData, zdimVariant, zdims,
        zdimSeeds, regdbVariants, regdbSeeds, regdbTrials, regdbData, probes, overrides, kernels, probeThreads, third);
  }

  /** SYSU random galleries per evaluation. */
  public AblationDesign withSysuTrials(int trials) {
    return new AblationDesign(configs, variants, seeds, iterations, epochs, trials, sysuData, zdimVariant, zdims,
        zdimSeeds, regdbVariants, regdbSeeds, regdbTrials, regdbData, probes, overrides, kernels, probeThreads, third);
  }

  /**
   * The z-dim sweep: the swept config, the z sizes ({@code null}: D/64, D/32, D/16, D/8, D/4 of the encoder's
   * observation size D; sizes of 0 or less are dropped, and none left means no sweep) and its seeds (0: no sweep).
   */
  public AblationDesign withZdimSweep(String variant, List<Integer> zdims, int seeds) {
    return new AblationDesign(configs, this.variants, this.seeds, iterations, epochs, sysuTrials, sysuData, variant,
        zdims, seeds, regdbVariants, regdbSeeds, regdbTrials, regdbData, probes, overrides, kernels, probeThreads, third);
  }

  /**
   * The RegDB-layout table: its variants (empty: no table), seeds, trials (0..10; each its own train/test split and
   * training run) and data root.
   */
  public AblationDesign withRegdb(List<String> variants, int seeds, int trials, Path data) {
    return new AblationDesign(configs, this.variants, this.seeds, iterations, epochs, sysuTrials, sysuData,
        zdimVariant, zdims, zdimSeeds, variants, seeds, trials, data, probes, overrides, kernels, probeThreads, third);
  }

  /** Whether seed {@link AblationDefaults#PROBE_SEED}'s best checkpoints are probed, and how many probes at once. */
  public AblationDesign withProbes(boolean probes, int threads) {
    return new AblationDesign(configs, variants, seeds, iterations, epochs, sysuTrials, sysuData, zdimVariant, zdims,
        zdimSeeds, regdbVariants, regdbSeeds, regdbTrials, regdbData, probes, overrides, kernels, threads, third);
  }

  /** {@code key.path=value} overrides applied to every run after the budget (recorded in the plan). */
  public AblationDesign withOverrides(List<String> overrides) {
    return new AblationDesign(configs, variants, seeds, iterations, epochs, sysuTrials, sysuData, zdimVariant, zdims,
        zdimSeeds, regdbVariants, regdbSeeds, regdbTrials, regdbData, probes, overrides, kernels, probeThreads, third);
  }

  /**
   * The fast encoder's kernels for every run: {@code libnd4j} (the committed run's) or {@code onednn} (oneDNN called
   * directly: faster, other float rounding). Recorded in the plan.
   */
  public AblationDesign withKernels(String kernels) {
    return new AblationDesign(configs, variants, seeds, iterations, epochs, sysuTrials, sysuData, zdimVariant, zdims,
        zdimSeeds, regdbVariants, regdbSeeds, regdbTrials, regdbData, probes, overrides, kernels, probeThreads, third);
  }

  /**
   * The third design ({@link AblationV3#defaults()}, docs/ablation-v3/design.md): its blocks on the SYSU lab, the
   * correlated lab and the RegDB lab, the pilot, the sequential rule, the budget of {@link AblationDefaults}; runs of
   * the finished ablations under {@code reuse} are imported when their resolved config is this plan's.
   *
   * @param corrData the correlated lab's folder (generated there when missing)
   * @param reuse finished ablation folders (each with a plan.json); missing ones are skipped
   */
  public static AblationDesign third(Path configs, Path sysuData, Path regdbData, Path corrData, List<Path> reuse) {
    return new AblationDesign(configs, List.of(), AblationDefaults.SEEDS, AblationDefaults.ITERATIONS,
        AblationDefaults.EPOCHS, AblationDefaults.SYSU_TRIALS, sysuData, AblationDefaults.ZDIM_VARIANT, null,
        AblationDefaults.ZDIM_SEEDS, List.of(), 0, 0, regdbData, true, List.of(), AblationDefaults.KERNELS,
        AblationDefaults.PROBE_THREADS, new Third(AblationV3.defaults(), nonNull(corrData, "corrData"),
            List.copyOf(reuse), AblationV3.TAIL));
  }

  /** The third design's blocks, pilot and claims (a smaller design in tests); only on a third design. */
  public AblationDesign withThird(AblationV3.Design design) {
    Third t = requireThird();
    return new AblationDesign(configs, variants, seeds, iterations, epochs, sysuTrials, sysuData, zdimVariant, zdims,
        zdimSeeds, regdbVariants, regdbSeeds, regdbTrials, regdbData, probes, overrides, kernels, probeThreads,
        new Third(design, t.corrData(), t.reuse(), t.stopAfter()));
  }

  /** Stop after phase {@code phase} ({@link AblationV3#PILOT}: train the pilot only); only on a third design. */
  public AblationDesign withStopAfter(int phase) {
    Third t = requireThird();
    return new AblationDesign(configs, variants, seeds, iterations, epochs, sysuTrials, sysuData, zdimVariant, zdims,
        zdimSeeds, regdbVariants, regdbSeeds, regdbTrials, regdbData, probes, overrides, kernels, probeThreads,
        new Third(t.design(), t.corrData(), t.reuse(), phase));
  }

  private Third requireThird() {
    if (third == null) {
      throw new IllegalStateException("not a third-design ablation");
    }
    return third;
  }

  /** The third design, or null for the second. */
  public AblationV3.Design v3() {
    return third == null ? null : third.design();
  }

  /** The correlated lab's folder (third design), or null. */
  public Path corrData() {
    return third == null ? null : third.corrData();
  }

  /** The finished ablations runs are imported from (third design; empty for the second). */
  public List<Path> reuse() {
    return third == null ? List.of() : third.reuse();
  }

  /** The last phase to run (third design). */
  public int stopAfter() {
    return third == null ? AblationV3.TAIL : third.stopAfter();
  }

  public Path configs() {
    return configs;
  }

  public List<String> variants() {
    return variants;
  }

  public int seeds() {
    return seeds;
  }

  public int iterations() {
    return iterations;
  }

  public int epochs() {
    return epochs;
  }

  public int sysuTrials() {
    return sysuTrials;
  }

  public Path sysuData() {
    return sysuData;
  }

  public String zdimVariant() {
    return zdimVariant;
  }

  /** The z sizes asked for, or null for the default divisors of D. */
  public List<Integer> zdims() {
    return zdims;
  }

  public int zdimSeeds() {
    return zdimSeeds;
  }

  public List<String> regdbVariants() {
    return regdbVariants;
  }

  public int regdbSeeds() {
    return regdbSeeds;
  }

  public int regdbTrials() {
    return regdbTrials;
  }

  public Path regdbData() {
    return regdbData;
  }

  public boolean probes() {
    return probes;
  }

  public int probeThreads() {
    return probeThreads;
  }

  public List<String> overrides() {
    return overrides;
  }

  public String kernels() {
    return kernels;
  }

  /** The config file of a variant. */
  Path configFile(String variant) {
    return configs.resolve(variant + ".yaml");
  }

  /**
   * The plan's settings: no sweep when it has no seeds or no positive size, no RegDB seeds or trials without RegDB
   * variants, data roots absolute.
   */
  AblationPlan.Settings settings() {
    if (third != null) {
      return new AblationPlan.Settings(List.of(), seeds, iterations, epochs, sysuTrials,
          sysuData.toAbsolutePath().normalize(), "", null, 0, List.of(), 0, 0, regdbData.toAbsolutePath().normalize(),
          overrides, probes, kernels);
    }
    boolean noZ = zdimSeeds == 0 || (zdims != null && zdims.stream().allMatch(z -> z <= 0));
    boolean noRegdb = regdbVariants.isEmpty();
    return new AblationPlan.Settings(variants, seeds, iterations, epochs, sysuTrials,
        sysuData.toAbsolutePath().normalize(), noZ ? "" : zdimVariant, zdims, noZ ? 0 : zdimSeeds, regdbVariants,
        noRegdb ? 0 : regdbSeeds, noRegdb ? 0 : regdbTrials, regdbData.toAbsolutePath().normalize(), overrides, probes,
        kernels);
  }
}
