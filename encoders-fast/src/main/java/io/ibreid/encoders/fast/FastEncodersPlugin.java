package io.ibreid.encoders.fast;

import com.google.auto.service.AutoService;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import java.util.List;

/** Registers the {@code fast-resnet} encoder. */
@AutoService(IbreidPlugin.class)
public final class FastEncodersPlugin implements IbreidPlugin {
  @Override
  public List<PluginFactory<?>> factories() {
    return List.of(new FastResNetEncoder.Factory());
  }
}
