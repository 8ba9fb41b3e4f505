package io.ibreid.data.training;

import io.ibreid.core.data.DataContext;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.data.sysu.SysuMm01;

/** Training on SYSU-MM01 ({@code data.type: sysu}): the reader's training split, sampled P×K. */
public final class SysuDataset {
  private SysuDataset() {}

  /** {@code data.params} of {@code sysu}: see {@link DatasetParams}. */
  public static class Params extends DatasetParams {}

  /** Opens the reader with the params' holdout and corrupt-image policy. */
  public static SysuMm01 read(DatasetParams p, DataContext c) {
    return SysuMm01.open(c.root(), new SysuMm01.Options(p.holdout, p.holdoutSeed, p.skipCorrupt,
        Math.max(1, c.workers())));
  }

  static TrainingSet trainingSet(SysuMm01 data, DatasetParams p, DataContext c, String name) {
    return new CrossModalTrainingSet(name + " " + c.root(), data.train(), c, p.augmentation(c.imageShape().height()),
        p.prefetch);
  }

  /** The {@code sysu} plug-in. */
  public static final class Factory implements DatasetFactory<Params> {
    @Override
    public String name() {
      return "sysu";
    }

    @Override
    public String description() {
      return "SYSU-MM01 (ROOT/cam1..6/NNNN/*.jpg, ROOT/exp/*_id.txt): train + val ids, P x K cross-modal sampling";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public TrainingSet open(Params params, DataContext context) {
      return trainingSet(read(params, context), params, context, "sysu");
    }
  }
}
