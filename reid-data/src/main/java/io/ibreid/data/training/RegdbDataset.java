package io.ibreid.data.training;

import io.ibreid.core.data.DataContext;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.data.regdb.RegDb;

/** Training on RegDB ({@code data.type: regdb}): trial {@code trial}'s training lists, sampled P×K. */
public final class RegdbDataset {
  private RegdbDataset() {}

  /** {@code data.params} of {@code regdb}: the trial (1..10) and the {@link DatasetParams}. */
  public static class Params extends DatasetParams {
    /** RegDB trial 1..10: which idx/*_t.txt lists to read. */
    public int trial = 1;
  }

  /** Opens the reader for the params' trial, holdout and corrupt-image policy. */
  public static RegDb read(Params p, DataContext c) {
    return RegDb.open(c.root(), new RegDb.Options(p.trial, p.holdout, p.holdoutSeed, p.skipCorrupt,
        Math.max(1, c.workers())));
  }

  static TrainingSet trainingSet(RegDb data, DatasetParams p, DataContext c, String name) {
    return new CrossModalTrainingSet(name + " " + c.root() + " trial " + data.trial(), data.train(), c,
        p.augmentation(c.imageShape().height()), p.prefetch);
  }

  /** The {@code regdb} plug-in. */
  public static final class Factory implements DatasetFactory<Params> {
    @Override
    public String name() {
      return "regdb";
    }

    @Override
    public String description() {
      return "RegDB (ROOT/Visible, ROOT/Thermal, ROOT/idx/*_t.txt): trial t's training lists, P x K sampling";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public TrainingSet open(Params params, DataContext context) {
      return trainingSet(read(params, context), params, context, "regdb");
    }
  }
}
