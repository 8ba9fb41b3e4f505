package io.ibreid.data;

import com.google.auto.service.AutoService;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.data.training.RegdbDataset;
import io.ibreid.data.training.SyntheticDataset;
import io.ibreid.data.training.SysuDataset;
import java.util.List;

/**
 * reid-data's plug-ins: the {@code sysu}, {@code regdb}, {@code synthetic-sysu} and {@code synthetic-regdb} data
 * sets.
 */
@AutoService(IbreidPlugin.class)
public final class DataPlugin implements IbreidPlugin {
  @Override
  public List<PluginFactory<?>> factories() {
    return List.of(new SysuDataset.Factory(), new RegdbDataset.Factory(), new SyntheticDataset.SysuFactory(),
        new SyntheticDataset.RegdbFactory());
  }
}
