package io.ibreid.loss.vsd;

import com.google.auto.service.AutoService;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import java.util.List;

/** Registers the {@code vsd} loss term. */
@AutoService(IbreidPlugin.class)
public final class VsdPlugin implements IbreidPlugin {
  @Override
  public List<PluginFactory<?>> factories() {
    return List.of(new VariationalSelfDistillation.Factory());
  }
}
