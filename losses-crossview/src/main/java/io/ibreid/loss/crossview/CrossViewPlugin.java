package io.ibreid.loss.crossview;

import com.google.auto.service.AutoService;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import java.util.List;

/**
 * Registers the two-view terms {@code vcd} and {@code vml}, and the authors' release's {@code sinkhorn} mutual-learning
 * term and {@code rank} loss.
 */
@AutoService(IbreidPlugin.class)
public final class CrossViewPlugin implements IbreidPlugin {
  @Override
  public List<PluginFactory<?>> factories() {
    return List.of(new VariationalCrossDistillation.Factory(), new VariationalMutualLearning.Factory(),
        new SinkhornMutualLearning.Factory(), new ReleaseRankLoss.Factory());
  }
}
