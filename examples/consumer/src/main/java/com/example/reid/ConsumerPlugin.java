package com.example.reid;

import com.google.auto.service.AutoService;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import java.util.List;

/** Registers our loss with ibreid: ServiceLoader finds it through the file auto-service's processor writes. */
@AutoService(IbreidPlugin.class)
public final class ConsumerPlugin implements IbreidPlugin {
  @Override
  public List<PluginFactory<?>> factories() {
    return List.of(new CosineAgreementLoss.Factory());
  }
}
