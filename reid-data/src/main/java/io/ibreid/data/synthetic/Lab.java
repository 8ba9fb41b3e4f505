package io.ibreid.data.synthetic;

import io.ibreid.core.data.DataLog;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.synthetic.SyntheticGenerator.Spec;
import io.ibreid.data.synthetic.SyntheticGenerator.Summary;
import java.nio.file.Path;

/**
 * The lab — the synthetic cross-modal data set in SYSU-MM01's or RegDB's layout — generated from Java, as
 * {@code ibreid synth} does. A {@link Spec} says what to generate; start from one of the parameter sets here and
 * change it with its {@code with...} methods:
 *
 * <pre>{@code
 * Summary lab = Lab.generate(Path.of("data/lab-small"), Lab.small());
 * Summary big = Lab.generate(Path.of("data/lab-sysu"), Lab.sysu(), (level, line) -> System.out.println(line));
 * }</pre>
 *
 * <p>The same spec writes byte-identical files. A training config reads a generated lab with {@code data.type:
 * synthetic-sysu} (or {@code synthetic-regdb}) and {@code data.root} pointing at it; its {@code data.params} keys
 * have the spec's names ({@code ids}, {@code testIds}, {@code visibleImages}, {@code infraredImages}, {@code height},
 * {@code width}, ...), and when they describe the same spec the set is used without a warning.
 */
public final class Lab {
  private Lab() {}

  /**
   * The full SYSU-layout lab, what {@code bin/ibreid demo} trains on: 395 training and 96 test identities, 20 visible
   * and 10 infrared images each, 128×64: 14,730 images.
   */
  public static Spec sysu() {
    return Spec.defaults(Layout.SYSU);
  }

  /** The full RegDB-layout lab: 206 + 206 persons, 10 visible and 10 thermal images each, 128×64: 8,240 images. */
  public static Spec regdb() {
    return Spec.defaults(Layout.REGDB);
  }

  /**
   * A small SYSU-layout lab for first runs and tests: 12 training identities (two of which a config may hold out with
   * {@code data.params.holdout: 2}) and 6 test identities, 8 visible and 4 infrared images each, 64×32: 216 images,
   * written in about a second. {@code configs/tiny.yaml} asks for exactly this set ({@code data.params: {ids: 12,
   * testIds: 6, visibleImages: 8, infraredImages: 4, height: 64, width: 32}}).
   */
  public static Spec small() {
    return sysu().withIds(12, 6).withImages(8, 4).withSize(64, 32);
  }

  /**
   * Generates {@code spec} into {@code dir} (which must not exist or be empty; nothing is left there on failure) on
   * as many threads as there are processors.
   */
  public static Summary generate(Path dir, Spec spec) {
    return generate(dir, spec, DataLog.NONE);
  }

  /**
   * As {@link #generate(Path, Spec)}, reporting progress lines to {@code progress} on the calling thread: what is
   * generated where at the start, every tenth of a set of {@value SyntheticGenerator#PROGRESS_MIN_IMAGES} images or
   * more, and the summary at the end.
   */
  public static Summary generate(Path dir, Spec spec, DataLog progress) {
    return SyntheticGenerator.generate(spec, dir, Runtime.getRuntime().availableProcessors(), progress);
  }
}
