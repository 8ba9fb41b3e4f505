package io.ibreid.encoders.fast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of a {@link TrunkLayer}, unit by unit: kernel {@code NAMEW} (He-normal), BN scale {@code NAMEGamma}
 * (1) and shift {@code NAMEBeta} (0), running {@code NAMEMean} (0) and {@code NAMEVar} (1). Kernels are "weights"
 * (weight decay applies), scale and shift are "biases"; the running statistics are neither. Keys contain no
 * underscore: DL4J's updater splits {@code vertex_key} at the last one.
 */
public final class TrunkParams implements ParamInitializer {
  public static final TrunkParams INSTANCE = new TrunkParams();

  private TrunkParams() {}

  static boolean isStatistic(String key) {
    return key.endsWith("Mean") || key.endsWith("Var");
  }

  static long[] kernelShape(ConvUnit u, String weightsFormat) {
    long o = u.outChannels();
    long i = u.inChannels();
    long k = u.kernel();
    return switch (weightsFormat) {
      case "OIYX" -> new long[] {o, i, k, k};
      case "YXIO" -> new long[] {k, k, i, o};
      case "OYXI" -> new long[] {o, k, k, i};
      default -> throw new IllegalArgumentException("weightsFormat must be OIYX, YXIO or OYXI, got " + weightsFormat);
    };
  }

  private record Slot(String key, long[] shape) {
    long length() {
      long n = 1;
      for (long s : shape) {
        n *= s;
      }
      return n;
    }
  }

  private static List<Slot> slots(TrunkLayer t) {
    List<Slot> s = new ArrayList<>();
    for (ConvUnit u : t.plan().units()) {
      s.add(new Slot(u.name() + "W", kernelShape(u, t.getWeightsFormat())));
      long c = u.outChannels();
      s.add(new Slot(u.name() + "Gamma", new long[] {c}));
      s.add(new Slot(u.name() + "Beta", new long[] {c}));
      s.add(new Slot(u.name() + "Mean", new long[] {c}));
      s.add(new Slot(u.name() + "Var", new long[] {c}));
    }
    return s;
  }

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    return slots((TrunkLayer) layer).stream().mapToLong(Slot::length).sum();
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    return slots((TrunkLayer) layer).stream().map(Slot::key).toList();
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return paramKeys(layer).stream().filter(k -> k.endsWith("W")).toList();
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return paramKeys(layer).stream().filter(k -> k.endsWith("Gamma") || k.endsWith("Beta")).toList();
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return key.endsWith("W");
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return key.endsWith("Gamma") || key.endsWith("Beta");
  }

  @Override
  public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initialize) {
    TrunkLayer t = (TrunkLayer) conf.getLayer();
    Map<String, INDArray> views = views(t, paramsView);
    if (initialize) {
      for (ConvUnit u : t.plan().units()) {
        INDArray w = views.get(u.name() + "W");
        double std = Math.sqrt(2.0 / (u.inChannels() * u.kernel() * u.kernel()));
        w.assign(Nd4j.randn(w.dataType(), w.shape()).muli(std));
        views.get(u.name() + "Gamma").assign(1);
        views.get(u.name() + "Beta").assign(0);
        views.get(u.name() + "Mean").assign(0);
        views.get(u.name() + "Var").assign(1);
      }
    }
    return views;
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
    return views((TrunkLayer) conf.getLayer(), gradientView);
  }

  private static Map<String, INDArray> views(TrunkLayer t, INDArray flat) {
    INDArray row = flat.reshape(1, flat.length());
    Map<String, INDArray> m = new LinkedHashMap<>();
    long offset = 0;
    for (Slot s : slots(t)) {
      long n = s.length();
      INDArray v = row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset, offset + n))
          .reshape('c', s.shape());
      m.put(s.key(), v);
      offset += n;
    }
    return m;
  }
}
