package io.ibreid.export;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.Branch;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.InputTransform;
import io.ibreid.core.branch.View;
import io.ibreid.core.run.Checkpoints;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.data.image.Normalisation;
import io.ibreid.encoders.fast.TorchvisionResNetEncoder;
import io.ibreid.encoders.fast.TorchvisionWeights;
import io.ibreid.encoders.fast.TrunkLayer;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.run.ModelFeatures;
import io.ibreid.weights.Tensor;
import io.ibreid.weights.pretrained.TorchvisionResNet;
import io.ibreid.weights.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One branch's backbone of a trained run as a safetensors file under torchvision's own state-dict keys, so that
 * {@code torchvision.models.resnet50()} (or 18, 34, 101) loads it with {@code load_state_dict(sd, strict=False)}
 * and reports only {@code fc.weight} and {@code fc.bias} missing. The trunk's tensors are written as trained — float32
 * kernels and batch norms (γ, β, running mean and variance), nothing folded — in torchvision's order, each batch norm
 * with its {@code num_batches_tracked}. The branch's BN-neck, when it has one, follows under the separate prefix
 * {@code ibreid.<branch>.bnneck.} as a {@code BatchNorm1d} state dict (the only keys PyTorch reports unexpected). The
 * header's {@code __metadata__} holds the run, checkpoint and fingerprint, the architecture, the input size and
 * normalisation, and the lists of extra and missing keys.
 *
 * <p>Only torchvision's ResNets are exported: {@code fast-resnet} and {@code small-resnet} are ibreid's own
 * networks, with no PyTorch module whose keys they could take (one line says so, and that ONNX exports them).
 */
public final class SafetensorsExport {
  /** The prefix of the keys that are not torchvision's: {@code ibreid.<branch>.}. */
  public static final String EXTRA_PREFIX = "ibreid.";

  /** Which branch's backbone to export; null: the one branch the run's test feature uses, if it uses one. */
  public record Options(String branch) {
    public static Options defaults() {
      return new Options(null);
    }
  }

  /**
   * What was written: the file and its size, the branch and network, the number of tensors, the keys torchvision's
   * model does not have ({@code ibreid.shared.bnneck.weight}, ...) and the ones it has that the file does not
   * ({@code fc.weight}, {@code fc.bias}), and the header's metadata.
   */
  public record Result(Path file, long bytes, String branch, String network, int tensors, List<String> extraKeys,
      List<String> missingKeys, Map<String, String> metadata) {}

  private SafetensorsExport() {}

  /**
   * Writes the chosen branch's backbone to {@code out}, atomically (a temporary sibling renamed into place): a failed
   * export leaves nothing new, and an existing {@code out} is replaced whole, as the ONNX export replaces its file.
   *
   * @throws IbreidException (one line) when the branch is ambiguous or unknown, its encoder is not one of
   *     torchvision's ResNets, or {@code out} cannot be written
   */
  public static Result write(TrainedRun run, Path out, Options options) {
    if (Files.isDirectory(out)) {
      throw new IbreidException("cannot write " + out + ": it is a directory; expected a file name such as "
          + "backbone.safetensors");
    }
    ModelFeatures features = new ModelFeatures(run.model(), run.config().evaluation, new TrainingImageLoader(), 1);
    BranchRole role = branch(run, features, options.branch());
    Branch branch = run.model().branches().stream().filter(b -> b.role() == role).findFirst().orElseThrow();
    if (!(branch.encoder() instanceof TorchvisionResNetEncoder encoder)) {
      String type = encoderType(run, role);
      throw new IbreidException("cannot export branch " + role.label() + " as safetensors: its encoder " + type
          + " is ibreid's own network, with no torchvision model whose keys it could take; safetensors export "
          + "writes torchvision's ResNets (resnet18, resnet34, resnet50, resnet101); export this run with "
          + "--format onnx");
    }
    TorchvisionResNet network = encoder.network();
    Layer trunk = run.model().graph().getLayer(TorchvisionResNetEncoder.trunkVertex(role.prefix()));
    long iteration = iteration(run.checkpoint());
    Map<String, Tensor> tensors = new LinkedHashMap<>(TorchvisionWeights.stateDict(trunk, network, encoder.width(),
        iteration));
    List<String> extras = new ArrayList<>();
    if (encoder.bnNeck()) {
      String prefix = EXTRA_PREFIX + role.label() + ".bnneck.";
      Layer neck = run.model().graph().getLayer(TorchvisionResNetEncoder.bnNeckVertex(role.prefix()));
      bnNeck(neck, iteration).forEach((k, t) -> {
        tensors.put(prefix + k, t);
        extras.add(prefix + k);
      });
    }
    List<String> missing = List.of("fc.weight", "fc.bias");
    double eps = ((TrunkLayer) trunk.conf().getLayer()).getEps();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "pt");
    meta.put("ibreid.architecture", "torchvision.models." + network.id());
    meta.put("ibreid.encoder", network.id());
    meta.put("ibreid.encoder.width", Integer.toString(encoder.width()));
    meta.put("ibreid.encoder.lastStride", Integer.toString(encoder.lastStride()));
    meta.put("ibreid.encoder.bnNeck", Boolean.toString(encoder.bnNeck()));
    meta.put("ibreid.batchnorm.eps", Double.toString(eps));
    meta.put("ibreid.branch", role.label());
    meta.put("ibreid.keys", "torchvision's state_dict keys of " + network.id() + " without fc");
    meta.put("ibreid.keys.missing", String.join(",", missing));
    meta.put("ibreid.keys.extra", String.join(",", extras));
    meta.put("ibreid.num_batches_tracked", iteration + " (the checkpoint's iteration)");
    meta.put("ibreid.input.shape", "N,3," + run.model().imageShape().height() + "," + run.model().imageShape()
        .width());
    meta.put("ibreid.input.height", Integer.toString(run.model().imageShape().height()));
    meta.put("ibreid.input.width", Integer.toString(run.model().imageShape().width()));
    meta.put("ibreid.input.channels", "RGB");
    meta.put("ibreid.input.scale", "pixel/255");
    meta.put("ibreid.input.mean", floats(Normalisation.MEAN));
    meta.put("ibreid.input.std", floats(Normalisation.STD));
    meta.put("ibreid.input.transform", run.model().wiring().inputOf(role) == InputTransform.GRAY
        ? "gray (the branch was trained on 0.2989 R + 0.587 G + 0.114 B of the normalised input, in all three "
        + "channels)" : "raw (the normalised RGB input)");
    meta.put("ibreid.run.name", String.valueOf(run.config().name));
    meta.put("ibreid.run.checkpoint", run.checkpoint().getFileName().toString());
    meta.put("ibreid.run.fingerprint", RunFingerprint.of(run, features));
    meta.put("ibreid.writer", "ibreid export --format safetensors " + OnnxExport.version());
    SafetensorsWriter.write(out, tensors, meta, true);
    long bytes;
    try {
      bytes = Files.size(out);
    } catch (IOException e) {
      bytes = -1;
    }
    return new Result(out, bytes, role.label(), network.id(), tensors.size(), List.copyOf(extras), missing, meta);
  }

  /** The branch named, or the only branch of the run's test feature; one line when there is no such choice. */
  static BranchRole branch(TrainedRun run, ModelFeatures features, String name) {
    List<String> branches = run.model().roles().stream().map(BranchRole::label).toList();
    if (name != null && !name.isBlank()) {
      for (BranchRole r : run.model().roles()) {
        if (r.label().equals(name.trim())) {
          return r;
        }
      }
      throw new IbreidException("--branch must be one of the run's branches " + branches + ", got [" + name + "]");
    }
    Set<BranchRole> used = new LinkedHashSet<>();
    for (View v : View.values()) {
      features.parts(v).forEach(p -> used.add(p.branch()));
    }
    if (used.size() == 1) {
      return used.iterator().next();
    }
    throw new IbreidException("the run's test feature (visible " + features.parts(View.VISIBLE) + ", infrared "
        + features.parts(View.INFRARED) + ") uses branches " + used.stream().map(BranchRole::label).toList()
        + "; choose the backbone to export with --branch " + String.join("|", branches));
  }

  private static String encoderType(TrainedRun run, BranchRole role) {
    var spec = run.config().branches == null ? null : run.config().branches.get(role.label());
    return spec == null || spec.encoder == null ? "?" : spec.encoder.type;
  }

  private static long iteration(Path checkpoint) {
    Object it = Checkpoints.readState(checkpoint).get("iteration");
    return it instanceof Number n ? n.longValue() : 0;
  }

  /**
   * A DL4J batch normalisation as PyTorch's {@code BatchNorm1d} state dict: {@code weight} (γ), {@code bias} (β),
   * {@code running_mean}, {@code running_var} (DL4J's log-std form squared back: it keeps log10 √var and adds ε
   * where it is used, as PyTorch does) and {@code num_batches_tracked}.
   */
  static Map<String, Tensor> bnNeck(Layer layer, long batchesTracked) {
    BatchNormalization conf = (BatchNormalization) layer.conf().getLayer();
    double[] mean = doubles(layer.getParam("mean"));
    int c = mean.length;
    double[] var;
    if (conf.isUseLogStd()) {
      double[] log10std = doubles(layer.getParam("log10stdev"));
      var = new double[c];
      for (int i = 0; i < c; i++) {
        double std = Math.pow(10, log10std[i]);
        var[i] = std * std;
      }
    } else {
      var = doubles(layer.getParam("var"));
    }
    double[] gamma = new double[c];
    double[] beta = new double[c];
    if (conf.isLockGammaBeta()) {
      Arrays.fill(gamma, conf.getGamma());
      Arrays.fill(beta, conf.getBeta());
    } else {
      gamma = doubles(layer.getParam("gamma"));
      beta = doubles(layer.getParam("beta"));
    }
    long[] shape = {c};
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("weight", Tensor.ofFloats(shape, toFloats(gamma)));
    out.put("bias", Tensor.ofFloats(shape, toFloats(beta)));
    out.put("running_mean", Tensor.ofFloats(shape, toFloats(mean)));
    out.put("running_var", Tensor.ofFloats(shape, toFloats(var)));
    out.put("num_batches_tracked", Tensor.ofLongs(new long[0], new long[] {batchesTracked}));
    return out;
  }

  private static double[] doubles(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private static String floats(float[] f) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < f.length; i++) {
      b.append(i == 0 ? "" : ",").append(f[i]);
    }
    return b.toString();
  }
}
