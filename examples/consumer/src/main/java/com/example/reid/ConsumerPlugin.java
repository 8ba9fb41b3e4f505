package com.example.reid;

import com.google.auto.service.AutoService;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.plugin.IbreidPlugin;
import java.util.List;

/** Registers our loss with ibreid: ServiceLoader finds it through the file auto-service's processor writes. */
@AutoService(IbreidPlugin.class)
public final class ConsumerPlugin implements IbreidPlugin {
  @Override
  public List<LossFactory<?>> losses() {
    return List.of(new CosineAgreementLoss.Factory());
  }
}
