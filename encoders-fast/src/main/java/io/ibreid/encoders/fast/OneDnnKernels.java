package io.ibreid.encoders.fast;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * oneDNN's primitives, kept per unit and batch size, on one CPU engine and stream started on first use ({@link
 * TrunkKernels}); float NHWC only. Convolutions oneDNN must not run ({@link DnnlConv#supports}) and the normalisation
 * of inference passes (a per-channel scale and shift) use libnd4j's ops.
 */
final class OneDnnKernels implements TrunkKernels {
  private final TrunkLayer conf;
  private final DataType type;
  private final List<AutoCloseable> made = new ArrayList<>();
  private engine eng;
  private stream strm;

  OneDnnKernels(TrunkLayer conf, DataType type) {
    this.conf = conf;
    this.type = type;
  }

  @Override
  public String name() {
    return "onednn";
  }

  /** A primitive built on the kernels' engine and stream; {@link #close()} frees it. */
  <T extends AutoCloseable> T make(BiFunction<engine, stream, T> build) {
    if (eng == null) {
      eng = new engine(engine.kind.cpu, 0);
      strm = new stream(eng);
    }
    T t = build.apply(eng, strm);
    made.add(t);
    return t;
  }

  @Override
  public Convolution convolution(ConvUnit u) {
    return DnnlConv.supports(u) ? new DnnlConvolution(u, conf.getWeightsFormat(), this)
        : new Libnd4jConvolution(u, conf.getDataFormat(), conf.getWeightsFormat());
  }

  @Override
  public Normalisation normalisation(ConvUnit u, UnitParams p, boolean relu) {
    return new DnnlNormalisation(u, p, relu, conf, type, this);
  }

  @Override
  public MaxPooling maxPooling(PoolUnit u) {
    return new DnnlMaxPooling(u, this);
  }

  @Override
  public void close() {
    for (int i = made.size() - 1; i >= 0; i--) {
      try {
        made.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException("freeing a oneDNN primitive", e);
      }
    }
    made.clear();
    if (eng != null) {
      strm.close();
      eng.close();
      strm = null;
      eng = null;
    }
  }
}
