package io.ibreid.core.branch;

import io.ibreid.core.IbreidException;
import io.ibreid.core.bottleneck.Bottleneck;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.OutputNames;
import io.ibreid.core.observation.ImageShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The whole network: every configured branch in one {@link ModelGraph}, vertices prefixed with the branch name.
 * Each branch reads its own image input ({@code visible/image}, ...; the shared branch gets the visible rows
 * followed by the infrared rows) and exposes identity-tap outputs {@code branch/out_NAME} for v, z, v_logits,
 * z_logits and its bottleneck's extras. The output order is fixed at build time and named {@code branch.NAME}. The
 * {@link Wiring} decides which images each branch receives (the paper's, by default, or the authors' release's).
 * {@code z_logits} comes from the bottleneck's own classifier when it has one ({@link Bottleneck#addClassifier}), else
 * from a bias-free linear head like {@code v_logits}.
 */
public final class ReidModel {
  /**
   * Graph-wide settings. The model carries no optimiser: its layers are built with DL4J's {@code NoOp} updater, and
   * a trainer installs its own ({@link io.ibreid.core.train.Optimizer}).
   */
  public record Options(long seed, DataType dataType, WorkspaceMode workspaceMode) {
    public static Options defaults(long seed) {
      return new Options(seed, DataType.FLOAT, WorkspaceMode.ENABLED);
    }
  }

  private final ModelGraph graph;
  private final List<Branch> branches;
  private final ImageShape shape;
  private final int numClasses;
  private final List<String> outputs = new ArrayList<>();
  private final Map<String, Integer> outputWidths = new LinkedHashMap<>();
  private final Map<BranchRole, List<Bottleneck.NoiseInput>> noise = new EnumMap<>(BranchRole.class);
  private final Wiring wiring;

  private ReidModel(List<Branch> branches, ImageShape shape, int numClasses, Options options, Wiring wiring) {
    if (branches.isEmpty()) {
      throw new IbreidException("a model needs at least one branch");
    }
    this.branches = List.copyOf(branches);
    this.shape = shape;
    this.numClasses = numClasses;
    this.wiring = java.util.Objects.requireNonNull(wiring, "wiring");
    GraphBuilder g = new NeuralNetConfiguration.Builder()
        .seed(options.seed())
        .dataType(options.dataType())
        .updater(new NoOp())
        .miniBatch(false) // loss terms return mean-reduced gradients already
        .trainingWorkspaceMode(options.workspaceMode())
        .inferenceWorkspaceMode(options.workspaceMode())
        .cacheMode(CacheMode.NONE)
        .weightInit(WeightInit.RELU)
        .activation(Activation.IDENTITY)
        .graphBuilder();
    List<InputType> inputTypes = new ArrayList<>();
    List<String> taps = new ArrayList<>();
    for (Branch b : this.branches) {
      String prefix = b.role().prefix();
      if (noise.containsKey(b.role())) {
        throw new IbreidException("branch " + b.role().label() + " is configured twice");
      }
      String image = prefix + "image";
      g.addInputs(image);
      inputTypes.add(InputType.convolutional(shape.height(), shape.width(), shape.channels()));
      Map<String, String> noiseInputs = new LinkedHashMap<>();
      for (Bottleneck.NoiseInput n : b.bottleneck().noise()) {
        g.addInputs(prefix + n.name());
        inputTypes.add(InputType.feedForward(n.size()));
        noiseInputs.put(n.name(), prefix + n.name());
      }
      noise.put(b.role(), b.bottleneck().noise());
      String v = b.encoder().addTo(g, image, prefix, shape);
      Bottleneck.Outputs bo = b.bottleneck().addTo(g, v, b.encoder().observationSize(), prefix, noiseInputs);
      String vHead = head(g, prefix + "head_v", v);
      String zHead = b.bottleneck().addClassifier(g, bo.representation(), numClasses, prefix);
      if (zHead == null) {
        zHead = head(g, prefix + "head_z", bo.representation());
      }
      Map<String, String> exposed = new LinkedHashMap<>();
      exposed.put(OutputNames.V, v);
      exposed.put(OutputNames.Z, bo.representation());
      exposed.put(OutputNames.V_LOGITS, vHead);
      exposed.put(OutputNames.Z_LOGITS, zHead);
      exposed.putAll(bo.extras());
      for (Map.Entry<String, String> e : exposed.entrySet()) {
        String tap = prefix + "out_" + e.getKey();
        g.addLayer(tap, new ActivationLayer.Builder().activation(Activation.IDENTITY).build(), e.getValue());
        taps.add(tap);
        outputs.add(b.role().label() + "." + e.getKey());
      }
    }
    g.setOutputs(taps.toArray(String[]::new));
    g.setInputTypes(inputTypes.toArray(InputType[]::new));
    ComputationGraphConfiguration conf = g.build();
    this.graph = new ModelGraph(conf);
    graph.init();
    for (Branch b : this.branches) {
      b.encoder().initialise(graph, b.role().prefix());
    }
    for (int i = 0; i < outputs.size(); i++) {
      outputWidths.put(outputs.get(i), (int) conf.getLayerActivationTypes(inputTypes.toArray(InputType[]::new))
          .get(taps.get(i)).arrayElementsPerExample());
    }
  }

  private String head(GraphBuilder g, String name, String in) {
    g.addLayer(name, new DenseLayer.Builder().nOut(numClasses).hasBias(false).activation(Activation.IDENTITY)
        .weightInit(new WeightInitDistribution(new NormalDistribution(0, 0.001))).build(), in);
    return name;
  }

  /** A model with the paper's wiring ({@link Wiring#PAPER}). */
  public static ReidModel build(List<Branch> branches, ImageShape shape, int numClasses, Options options) {
    return new ReidModel(branches, shape, numClasses, options, Wiring.PAPER);
  }

  /** A model whose branches receive the images {@code wiring} says. */
  public static ReidModel build(List<Branch> branches, ImageShape shape, int numClasses, Options options,
      Wiring wiring) {
    return new ReidModel(branches, shape, numClasses, options, wiring);
  }

  /** Which images each branch receives. */
  public Wiring wiring() {
    return wiring;
  }

  public ModelGraph graph() {
    return graph;
  }

  public List<Branch> branches() {
    return branches;
  }

  /** The branches' roles, in graph order. */
  public List<BranchRole> roles() {
    return branches.stream().map(Branch::role).toList();
  }

  /** Trainable parameters and BatchNorm statistics, all counted. */
  public long parameterCount() {
    return graph.numParams();
  }

  public boolean has(BranchRole role) {
    return noise.containsKey(role);
  }

  public ImageShape imageShape() {
    return shape;
  }

  public int numClasses() {
    return numClasses;
  }

  /** Output names in graph order, e.g. {@code visible.v}, {@code shared.z_logits}. */
  public List<String> outputs() {
    return List.copyOf(outputs);
  }

  /** Columns of each output, by name. */
  public Map<String, Integer> outputWidths() {
    return Map.copyOf(outputWidths);
  }

  public int outputIndex(BranchRole role, String output) {
    return outputs.indexOf(role.label() + "." + output);
  }

  /** The batch as this model's branches see it ({@link Wiring#wire}); build it once per training step. */
  public WiredBatch wire(CrossModalBatch batch) {
    return wiring.wire(batch, roles());
  }

  /**
   * The graph's input types in input order for images of {@code height} × {@code width}: each branch's image input
   * (convolutional, the model's channels) followed by its bottleneck's noise inputs (feed-forward, their sizes). What
   * DL4J's memory report needs: noise inputs are not images.
   */
  public InputType[] inputTypes(int height, int width) {
    List<InputType> types = new ArrayList<>();
    for (Branch b : branches) {
      types.add(InputType.convolutional(height, width, shape.channels()));
      for (Bottleneck.NoiseInput n : noise.get(b.role())) {
        types.add(InputType.feedForward(n.size()));
      }
    }
    return types.toArray(InputType[]::new);
  }

  /**
   * Graph inputs for a training step: each branch's images of {@code batch} in the graph's data type, each followed
   * by its bottleneck's noise, drawn from ND4J's generator seeded with {@code noiseSeed}.
   */
  public INDArray[] inputs(WiredBatch batch, long noiseSeed) {
    DataType dt = graph.getConfiguration().getDefaultConfiguration().getDataType();
    List<INDArray> in = new ArrayList<>();
    Nd4j.getRandom().setSeed(noiseSeed);
    for (Branch b : branches) {
      INDArray images = batch.images(b.role());
      in.add(images.castTo(dt));
      for (Bottleneck.NoiseInput n : noise.get(b.role())) {
        in.add(Nd4j.randn(dt, images.size(0), n.size()));
      }
    }
    return in.toArray(INDArray[]::new);
  }

  /**
   * One training-mode forward pass of every branch over {@code batch}, then back-propagation of the errors
   * {@code errors} returns for the graph outputs (in {@link #outputs()} order). Returns the parameter gradient, a view
   * of a buffer the next call reuses.
   */
  public Gradient forwardBackward(WiredBatch batch, long noiseSeed, Function<INDArray[], INDArray[]> errors) {
    return graph.forwardBackward(inputs(batch, noiseSeed), errors);
  }

  /**
   * Inference (BatchNorm in test mode, bottleneck noise zero) of one branch on a batch of images, fed as the branch's
   * own input ({@link Wiring#inputOf}: the grayscale copy for the infrared branch under the release wiring); returns
   * the requested outputs by name ({@code v}, {@code z}, ...). Other branches are fed a single zero row.
   */
  public Map<String, INDArray> infer(BranchRole role, INDArray images, List<String> names) {
    return infer(role, images, names, null);
  }

  /**
   * As {@link #infer(BranchRole, INDArray, List)}, with the images transformed by {@code transform} instead of the
   * branch's own input transform ({@code null}: the branch's own).
   */
  public Map<String, INDArray> infer(BranchRole role, INDArray images, List<String> names,
      InputTransform transform) {
    images = (transform == null ? wiring.inputOf(role) : transform).apply(images);
    if (!has(role)) {
      throw new IbreidException("the model has no " + role.label() + " branch; it has "
          + branches.stream().map(b -> b.role().label()).toList());
    }
    DataType dt = graph.getConfiguration().getDefaultConfiguration().getDataType();
    List<INDArray> in = new ArrayList<>();
    for (Branch b : branches) {
      long n = b.role() == role ? images.size(0) : 1;
      in.add(b.role() == role ? images.castTo(dt) : Nd4j.zeros(dt, shape.batchShape(1)));
      for (Bottleneck.NoiseInput ni : noise.get(b.role())) {
        in.add(Nd4j.zeros(dt, n, ni.size()));
      }
    }
    List<String> layers = new ArrayList<>();
    for (String name : names) {
      if (outputIndex(role, name) < 0) {
        throw new IbreidException("branch " + role.label() + " has no output [" + name + "]; outputs: " + outputs);
      }
      layers.add(role.prefix() + "out_" + name);
    }
    Map<String, INDArray> result = new LinkedHashMap<>();
    if (layers.size() == 1) {
      result.put(names.get(0), graph.output(layers, false, in.toArray(INDArray[]::new), null)[0]);
      return result;
    }
    // DL4J 1.0.0-M2.1's output(List, ...) with several layers can leave an activation workspace open once the graph
    // has trained ("Expected no workspace active at the end of outputOfLayerDetached"); a detached inference
    // feed-forward returns every activation correctly.
    Map<String, INDArray> all = graph.feedForward(in.toArray(INDArray[]::new), false, true);
    for (int i = 0; i < names.size(); i++) {
      result.put(names.get(i), all.get(layers.get(i)));
    }
    return result;
  }

  /**
   * Writes the graph as a DL4J ModelSerializer zip (readable by plain DL4J): its configuration, parameters and, when
   * a trainer's optimiser is installed, the optimiser's state.
   */
  public void save(Path zip) throws IOException {
    ModelSerializer.writeModel(graph, zip.toFile(), true);
  }

  /** Loads the parameters of a zip written by {@link #save} for the same configuration (the optimiser's state not). */
  public void load(Path zip) throws IOException {
    ComputationGraph saved = ModelSerializer.restoreComputationGraph(zip.toFile(), false);
    if (saved.params().length() != graph.params().length()) {
      throw new IbreidException("checkpoint " + zip + " holds " + saved.params().length()
          + " parameters, the configured model has " + graph.params().length());
    }
    graph.params().assign(saved.params());
  }
}
