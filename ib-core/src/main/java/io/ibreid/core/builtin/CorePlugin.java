package io.ibreid.core.builtin;

import com.google.auto.service.AutoService;
import io.ibreid.core.bottleneck.BottleneckFactory;
import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.loss.BatchHardTripletLoss;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.observation.ResNet50Encoder;
import io.ibreid.core.observation.SmallResNetEncoder;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.core.plugin.PluginKind;
import java.util.List;

/** ib-core's own plug-ins: the small-resnet and resnet50 encoders, the mlp bottleneck, the ce and triplet losses. */
@AutoService(IbreidPlugin.class)
public final class CorePlugin implements IbreidPlugin {
  /** The kinds of plug-in a run config names, in the order {@code ibreid plugins} lists them. */
  public static final List<PluginKind<?>> KINDS = List.of(EncoderFactory.KIND, BottleneckFactory.KIND,
      LossFactory.KIND, DatasetFactory.KIND);

  @Override
  public List<PluginFactory<?>> factories() {
    return List.of(new SmallResNetEncoder.Factory(), new ResNet50Encoder.Factory(), new MlpBottleneck.Factory(),
        new CrossEntropyLoss.Factory(), new BatchHardTripletLoss.Factory());
  }
}
