package io.ibreid.core.plugin;

import com.google.auto.service.AutoService;
import io.ibreid.core.bottleneck.BottleneckFactory;
import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.loss.BatchHardTripletLoss;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.observation.ResNet50Encoder;
import io.ibreid.core.observation.SmallResNetEncoder;
import java.util.List;

/** ib-core's own plug-ins: the small-resnet and resnet50 encoders, the mlp bottleneck, the ce and triplet losses. */
@AutoService(IbreidPlugin.class)
public final class CorePlugin implements IbreidPlugin {
  @Override
  public List<EncoderFactory<?>> encoders() {
    return List.of(new SmallResNetEncoder.Factory(), new ResNet50Encoder.Factory());
  }

  @Override
  public List<BottleneckFactory<?>> bottlenecks() {
    return List.of(new MlpBottleneck.Factory());
  }

  @Override
  public List<LossFactory<?>> losses() {
    return List.of(new CrossEntropyLoss.Factory(), new BatchHardTripletLoss.Factory());
  }
}
