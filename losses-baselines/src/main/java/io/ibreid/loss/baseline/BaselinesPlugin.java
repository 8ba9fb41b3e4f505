package io.ibreid.loss.baseline;

import com.google.auto.service.AutoService;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import java.util.List;

/**
 * Registers the baselines: the {@code vib} and {@code release-vib} bottlenecks and the {@code ib}, {@code vib} and
 * {@code ib-upper} loss terms.
 */
@AutoService(IbreidPlugin.class)
public final class BaselinesPlugin implements IbreidPlugin {
  @Override
  public List<PluginFactory<?>> factories() {
    return List.of(new VibBottleneck.Factory(), new ReleaseVibBottleneck.Factory(), new ClassicIbLoss.Factory(),
        new VibLoss.Factory(), new UpperBoundIbLoss.Factory());
  }
}
