package io.ibreid.loss.vsd;

import com.google.auto.service.AutoService;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.plugin.IbreidPlugin;
import java.util.List;

/** Registers the {@code vsd} loss term. */
@AutoService(IbreidPlugin.class)
public final class VsdPlugin implements IbreidPlugin {
  @Override
  public List<LossFactory<?>> losses() {
    return List.of(new VariationalSelfDistillation.Factory());
  }
}
