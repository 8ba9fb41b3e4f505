package io.ibreid.encoders.fast;

import com.google.auto.service.AutoService;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.weights.pretrained.TorchvisionResNet;
import java.util.List;

/** Registers the {@code fast-resnet} encoder and torchvision's ResNets ({@code resnet18/34/50/101}). */
@AutoService(IbreidPlugin.class)
public final class FastEncodersPlugin implements IbreidPlugin {
  @Override
  public List<PluginFactory<?>> factories() {
    List<PluginFactory<?>> f = new java.util.ArrayList<>();
    f.add(new FastResNetEncoder.Factory());
    for (TorchvisionResNet r : TorchvisionResNet.values()) {
      f.add(new TorchvisionResNetEncoder.Factory(r));
    }
    return f;
  }
}
