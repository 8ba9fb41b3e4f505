package io.ibreid.ablation;

import io.ibreid.core.branch.Wiring;
import io.ibreid.core.config.RunConfig;
import io.ibreid.eval.stats.SequentialRule;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The third ablation's design (docs/ablation-v3/design.md, issue 26), in one place: the blocks of runs (variant,
 * data, seeds, probed seeds, phase), the pilot that fixes two β values, the claims judged with the two-look
 * sequential rule and the cost table of that rule's cap. {@link #defaults()} is the committed design; the second
 * ablation's design stays {@link AblationDefaults}. Phases run in order: 0 the pilot, 1 the first look's runs, 2 the
 * second look's runs (trained only for the claims the sequential rule extends), 3 the descriptive blocks.
 */
public final class AblationV3 {
  /** The plan.json version of this design. */
  public static final int VERSION = 3;
  /** The correlated lab (relative to the ibreid folder): the SYSU lab with identity-correlated backgrounds. */
  public static final String CORR_DATA = "data/lab-sysu-corr";
  /** Probability that a training identity's image shows its preferred place in the correlated lab. */
  public static final double CORRELATION = 0.8;
  /** Finished ablations whose runs are imported when their resolved config is this plan's (ibreid-relative). */
  public static final List<String> REUSE = List.of("docs/ablation-v2", "docs/ablation-v3");
  /** The pilot's seed (outside every evaluation seed). */
  public static final int PILOT_SEED = 101;
  /** The β grid of the pilot. */
  public static final List<Double> BETA_GRID = List.of(1e-3, 1e-2, 1e-1, 1.0);
  /** The cap of the second look, in estimated minutes. */
  public static final double STAGE2_CAP_MINUTES = 45;
  /** Estimated minutes of one z probe. */
  public static final double PROBE_MINUTES = 0.7;
  /** The outputs probed on new runs. */
  public static final List<String> PROBE_OUTPUTS = List.of("z");

  /** Phases, in training order. */
  public static final int PILOT = 0;
  public static final int FIRST = 1;
  public static final int SECOND = 2;
  public static final int TAIL = 3;

  /**
   * A variant trained on some seeds of one group: {@code sysu} (SYSU lab), {@code corr} (correlated lab), {@code regdb}
   * (seed = trial), {@code zdim} (every size of {@link Design#zdims}). {@code unit} names the block in the sequential
   * rule (phase 2 only).
   */
  public record Block(String group, String variant, List<Integer> seeds, List<Integer> probeSeeds, int phase) {
    public Block {
      seeds = List.copyOf(seeds);
      probeSeeds = List.copyOf(probeSeeds);
    }

    /** {@code group/variant}: the unit of the sequential rule. */
    public String unit() {
      return group + "/" + variant;
    }
  }

  /** A pilot: the config trained at each β of the grid, the loss type whose {@code beta} is set, the tuned config. */
  public record Tuned(String pilotVariant, String lossType, String tunedVariant) {}

  /**
   * A claim judged with the sequential rule, in priority order: its id and the units its second look needs (the
   * report knows what it compares).
   */
  public record Claim(String id, List<String> units) {}

  /** The whole design. */
  public record Design(List<Block> blocks, List<Tuned> tuned, List<String> pilotExtras, int pilotSeed,
      List<Double> betaGrid, List<Integer> zdims, List<Claim> claims, double stage2Cap) {
    public Design {
      blocks = List.copyOf(blocks);
      tuned = List.copyOf(tuned);
      pilotExtras = List.copyOf(pilotExtras);
      betaGrid = List.copyOf(betaGrid);
      zdims = List.copyOf(zdims);
      claims = List.copyOf(claims);
    }

    /** The blocks of one phase, in order. */
    public List<Block> phase(int phase) {
      return blocks.stream().filter(b -> b.phase() == phase).toList();
    }
  }

  private AblationV3() {}

  private static List<Integer> seeds(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().toList();
  }

  /** The committed design (docs/ablation-v3/design.md). */
  public static Design defaults() {
    List<Block> b = new ArrayList<>();
    List<Integer> five = seeds(1, 5);
    List<Integer> three = seeds(1, 3);
    List<Integer> more = seeds(6, 10);
    // phase 1: block S (v2's nine variants reused; probes of seeds 2-5 retrain their runs) and block C's first look
    for (String v : List.of("ib", "vib", "vsd", "full", "full-release", "full-release-terms")) {
      b.add(new Block("sysu", v, five, List.of(1), FIRST));
    }
    b.add(new Block("sysu", "baseline-ce", five, three, FIRST));
    b.add(new Block("sysu", "vsd-shared", five, five, FIRST));
    b.add(new Block("sysu", "crossview", five, five, FIRST));
    b.add(new Block("sysu", "ib-upper", five, five, FIRST));
    b.add(new Block("sysu", "vib-tuned", five, five, FIRST));
    b.add(new Block("sysu", "crossview-release", five, List.of(1), FIRST));
    b.add(new Block("corr", "baseline-ce", five, five, FIRST));
    b.add(new Block("corr", "vsd-shared", five, five, FIRST));
    // phase 2: seeds 6-10, trained only for the claims the sequential rule extends
    b.add(new Block("sysu", "crossview", more, more, SECOND));
    b.add(new Block("sysu", "vsd-shared", more, more, SECOND));
    b.add(new Block("sysu", "ib-upper", more, List.of(), SECOND));
    b.add(new Block("sysu", "vib-tuned", more, List.of(), SECOND));
    b.add(new Block("corr", "baseline-ce", more, more, SECOND));
    b.add(new Block("corr", "vsd-shared", more, more, SECOND));
    b.add(new Block("sysu", "full-release", more, List.of(), SECOND));
    b.add(new Block("sysu", "crossview-release", more, List.of(), SECOND));
    // phase 3: the release-gain controls (block D), the correlated IB, RegDB with seed = trial, z-dim
    for (String v : List.of("baseline-release", "baseline-ce-2x", "crossview-2x", "baseline-ce-gray")) {
      b.add(new Block("sysu", v, three, List.of(1), TAIL));
    }
    b.add(new Block("corr", "ib-upper", three, three, TAIL));
    b.add(new Block("regdb", "crossview", five, List.of(), TAIL));
    b.add(new Block("regdb", "full", five, List.of(), TAIL));
    b.add(new Block("zdim", "vsd-shared", three, List.of(), TAIL));
    List<Claim> claims = List.of(
        new Claim("C3", List.of("sysu/crossview", "sysu/vsd-shared")),
        new Claim("C1", List.of("sysu/vsd-shared", "sysu/ib-upper")),
        new Claim("C2", List.of("sysu/vsd-shared", "sysu/vib-tuned")),
        new Claim("C7", List.of("corr/baseline-ce", "corr/vsd-shared")),
        new Claim("C5", List.of("sysu/full-release", "sysu/crossview-release")),
        new Claim("C4", List.of("sysu/crossview", "sysu/vsd-shared")));
    return new Design(b, List.of(new Tuned("vib", "vib", "vib-tuned"), new Tuned("ib-upper", "ib-upper", "ib-upper")),
        List.of("ib"), PILOT_SEED, BETA_GRID, List.of(8, 16, 32, 64, 128, 256, 512), claims, STAGE2_CAP_MINUTES);
  }

  /**
   * The estimated minutes of training one run (the design's cost table): three branches 9 (release wiring) or 6
   * (paper), two branches 5, one branch 3.5 when it processes 64 rows a step (release wiring or 8 images per
   * identity) and 2.5 otherwise.
   */
  public static double minutes(RunConfig c) {
    int branches = c.branches.size();
    boolean release = Wiring.parse(c.wiring, "wiring") == Wiring.RELEASE;
    if (branches >= 3) {
      return release ? 9 : 6;
    }
    if (branches == 2) {
      return 5;
    }
    return release || c.sampler.identities * c.sampler.instances > 32 ? 3.5 : 2.5;
  }

  /** A β as written in run ids and tables: {@code 0.001}, {@code 1}. */
  public static String beta(double beta) {
    return new BigDecimal(Double.toString(beta)).stripTrailingZeros().toPlainString();
  }

  /** The level of the primary claims' intervals (both looks). */
  public static double claimLevel() {
    return SequentialRule.POCOCK_LEVEL;
  }
}
