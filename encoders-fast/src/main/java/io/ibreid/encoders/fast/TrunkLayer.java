package io.ibreid.encoders.fast;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Configuration of the whole residual trunk as one DL4J layer: input N×C×H×W (NCHW, as the branch graph feeds
 * images), output N×D, the globally average-pooled features. Its layout is {@link #plan()}; the {@link Trunk} runs
 * it in the data format {@link #getDataFormat()} with the kernels it chooses when built ({@link TrunkKernels}).
 * Batch statistics are used in training; running statistics (decay {@link #getDecay()}) are updated in place by the
 * training forward pass and have a zero gradient and a no-op updater.
 */
public class TrunkLayer extends BaseLayer {
  private int channels;
  private int height;
  private int width;
  private int baseWidth;
  private int[] stages;
  private int observationSize;
  private int stemStride;
  private String dataFormat = "NHWC";
  private String weightsFormat = "YXIO";
  private double decay = 0.9;
  private double eps = 1e-5;

  /** For JSON. */
  public TrunkLayer() {}

  private TrunkLayer(Builder b) {
    super(b);
  }

  /** Builder: the trunk's shape; the input shape is set from the graph's input type. */
  public static final class Builder extends BaseLayer.Builder<Builder> {
    private int baseWidth = 32;
    private int[] stages = {1, 1, 1};
    private int observationSize = 512;
    private int stemStride = 2;
    private String dataFormat = "NHWC";
    private String weightsFormat = "YXIO";

    public Builder baseWidth(int w) {
      this.baseWidth = w;
      return this;
    }

    public Builder stages(int... s) {
      this.stages = s.clone();
      return this;
    }

    public Builder observationSize(int d) {
      this.observationSize = d;
      return this;
    }

    public Builder stemStride(int s) {
      this.stemStride = s;
      return this;
    }

    /** NHWC or NCHW: the layout the convolutions run in. */
    public Builder dataFormat(String f) {
      this.dataFormat = f;
      return this;
    }

    /** OIYX, YXIO or OYXI: the layout of the kernel parameters. */
    public Builder weightsFormat(String f) {
      this.weightsFormat = f;
      return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public TrunkLayer build() {
      TrunkLayer t = new TrunkLayer(this);
      t.baseWidth = baseWidth;
      t.stages = stages.clone();
      t.observationSize = observationSize;
      t.stemStride = stemStride;
      t.dataFormat = dataFormat;
      t.weightsFormat = weightsFormat;
      return t;
    }
  }

  /** The trunk's units for the configured input shape. */
  public TrunkPlan plan() {
    if (channels <= 0) {
      throw new IllegalStateException("trunk layer " + getLayerName() + " has no input shape yet");
    }
    return TrunkPlan.smallResNet(channels, height, width, baseWidth, stages, observationSize, stemStride);
  }

  /** Forward FLOPs of the convolutions for one example. */
  public long forwardFlopsPerExample() {
    return plan().forwardFlops();
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView, boolean initializeParams,
      DataType networkDataType) {
    Trunk layer = new Trunk(conf, networkDataType);
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(layerParamsView);
    Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
    layer.setParamTable(params);
    layer.setConf(conf);
    return layer;
  }

  @Override
  public ParamInitializer initializer() {
    return TrunkParams.INSTANCE;
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.feedForward(observationSize);
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    if (!(inputType instanceof InputType.InputTypeConvolutional c)) {
      throw new IllegalArgumentException("trunk layer " + getLayerName() + " needs a convolutional input, got "
          + inputType);
    }
    if (channels <= 0 || override) {
      channels = (int) c.getChannels();
      height = (int) c.getHeight();
      width = (int) c.getWidth();
    }
  }

  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    return null;
  }

  @Override
  public List<Regularization> getRegularizationByParam(String paramName) {
    if (TrunkParams.isStatistic(paramName)) {
      return List.of();
    }
    List<Regularization> r = super.getRegularizationByParam(paramName);
    return r == null ? List.of() : r;
  }

  @Override
  public IUpdater getUpdaterByParam(String paramName) {
    return TrunkParams.isStatistic(paramName) ? new NoOp() : super.getUpdaterByParam(paramName);
  }

  @Override
  public boolean isPretrainParam(String paramName) {
    return false;
  }

  /**
   * Per example, in elements: inference keeps each unit's convolution output and output; training keeps those and
   * their two gradients (of the convolution output and of the unit's input), and a convolution's working buffer
   * (its input unfolded, channels × kernel² × output pixels) is counted for the largest unit, forward and backward.
   * What the memory check before training ({@code io.ibreid.core.train.MemoryCheck}) adds up.
   */
  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    long inference = 0;
    long training = 0;
    long unfolded = 0;
    if (inputType instanceof InputType.InputTypeConvolutional c) {
      TrunkPlan plan = TrunkPlan.smallResNet((int) c.getChannels(), (int) c.getHeight(), (int) c.getWidth(),
          baseWidth, stages, observationSize, stemStride);
      for (ConvUnit u : plan.units()) {
        long out = (long) u.outChannels() * u.outH() * u.outW();
        long in = (long) u.inChannels() * u.inH() * u.inW();
        inference += 2 * out;
        training += 3 * out + in;
        unfolded = Math.max(unfolded, (long) u.inChannels() * u.kernel() * u.kernel() * u.outH() * u.outW());
      }
    }
    return new LayerMemoryReport.Builder(getLayerName(), Trunk.class, inputType, getOutputType(0, inputType))
        .standardMemory(initializer().numParams(this), 0)
        .workingMemory(0, inference + unfolded, 0, training + 2 * unfolded).cacheMemory(0, 0).build();
  }

  public int getChannels() {
    return channels;
  }

  public int getHeight() {
    return height;
  }

  public int getWidth() {
    return width;
  }

  public int getBaseWidth() {
    return baseWidth;
  }

  public int[] getStages() {
    return stages;
  }

  public int getObservationSize() {
    return observationSize;
  }

  public int getStemStride() {
    return stemStride;
  }

  public String getDataFormat() {
    return dataFormat;
  }

  public String getWeightsFormat() {
    return weightsFormat;
  }

  public double getDecay() {
    return decay;
  }

  public double getEps() {
    return eps;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TrunkLayer t) || !super.equals(o)) {
      return false;
    }
    return channels == t.channels && height == t.height && width == t.width && baseWidth == t.baseWidth
        && java.util.Arrays.equals(stages, t.stages) && observationSize == t.observationSize
        && stemStride == t.stemStride && dataFormat.equals(t.dataFormat) && weightsFormat.equals(t.weightsFormat)
        && decay == t.decay && eps == t.eps;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(super.hashCode(), channels, height, width, baseWidth,
        java.util.Arrays.hashCode(stages), observationSize, stemStride, dataFormat, weightsFormat, decay, eps);
  }
}
