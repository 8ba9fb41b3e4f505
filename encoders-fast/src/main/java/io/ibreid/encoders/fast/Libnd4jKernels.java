package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.buffer.DataType;

/** libnd4j's ops: any data type, either layout, any backend ({@link TrunkKernels}). */
final class Libnd4jKernels implements TrunkKernels {
  private final TrunkLayer conf;
  private final DataType type;
  private final Layout layout;
  private final Constants constants;

  Libnd4jKernels(TrunkLayer conf, DataType type) {
    this.conf = conf;
    this.type = type;
    this.layout = Layout.of(conf.getDataFormat());
    this.constants = new Constants(type);
  }

  @Override
  public String name() {
    return "libnd4j";
  }

  @Override
  public Convolution convolution(ConvUnit u) {
    return new Libnd4jConvolution(u, conf.getDataFormat(), conf.getWeightsFormat());
  }

  @Override
  public Normalisation normalisation(ConvUnit u, UnitParams p, boolean relu) {
    return layout == Layout.NHWC ? new NhwcNormalisation(u, p, relu, conf, type, constants)
        : new NchwNormalisation(u, p, relu, conf, type);
  }

  @Override
  public MaxPooling maxPooling(PoolUnit u) {
    return new Libnd4jMaxPooling(u, layout);
  }

  @Override
  public void close() {}
}
