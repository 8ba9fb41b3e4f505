package io.ibreid.core.testing;

import com.google.auto.service.AutoService;
import io.ibreid.core.data.DataContext;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.plugin.IbreidPlugin;
import java.util.List;

/** Test-only plug-in: the {@code tiny} in-memory data set, so configs can be trained end to end in tests. */
@AutoService(IbreidPlugin.class)
public final class TinyDatasetPlugin implements IbreidPlugin {
  /** Parameters of {@code tiny}. */
  public static final class Params {
    public int classes = 6;
    public int batches = 4;
    public double noise = 0.3;
  }

  @Override
  public List<DatasetFactory<?>> datasets() {
    return List.of(new DatasetFactory<Params>() {
      @Override
      public String name() {
        return "tiny";
      }

      @Override
      public String description() {
        return "in-memory test data (ib-core tests only)";
      }

      @Override
      public Class<Params> parametersType() {
        return Params.class;
      }

      @Override
      public TrainingSet open(Params p, DataContext c) {
        return new TinyTrainingSet(p.classes, c.imageShape(), c.identitiesPerBatch(), c.imagesPerIdentity() / 2,
            p.batches, c.seed(), p.noise);
      }
    });
  }
}
