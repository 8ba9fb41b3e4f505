package io.ibreid.loss.crossview;

import com.google.auto.service.AutoService;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import java.util.List;

/** Registers the two-view terms {@code vcd} and {@code vml}. */
@AutoService(IbreidPlugin.class)
public final class CrossViewPlugin implements IbreidPlugin {
  @Override
  public List<PluginFactory<?>> factories() {
    return List.of(new VariationalCrossDistillation.Factory(), new VariationalMutualLearning.Factory());
  }
}
