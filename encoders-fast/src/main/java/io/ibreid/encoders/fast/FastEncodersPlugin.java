package io.ibreid.encoders.fast;

import com.google.auto.service.AutoService;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.plugin.IbreidPlugin;
import java.util.List;

/** Registers the {@code fast-resnet} encoder. */
@AutoService(IbreidPlugin.class)
public final class FastEncodersPlugin implements IbreidPlugin {
  @Override
  public List<EncoderFactory<?>> encoders() {
    return List.of(new FastResNetEncoder.Factory());
  }
}
