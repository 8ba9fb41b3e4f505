package io.ibreid.cli;

import io.ibreid.core.IbreidException;
import io.ibreid.weights.KeyMapping;
import io.ibreid.weights.Prefix;
import io.ibreid.weights.StateDict;
import io.ibreid.weights.StateDictSummary;
import io.ibreid.weights.Tensor;
import io.ibreid.weights.pretrained.TorchvisionResNet;
import io.ibreid.weights.safetensors.SafetensorsWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ibreid weights FILE}: what a PyTorch weights file holds (.pth of either format, .safetensors; read without
 * executing anything), and with {@code --encoder} how it maps onto one of ibreid's torchvision ResNets: the load
 * report a run would log, every backbone key with the file key it comes from, missing keys, shape mismatches and
 * unused keys. {@code --convert OUT.safetensors} writes the file's torchvision state dict under torchvision's names as
 * a .safetensors file: the prefix stripped, every key of torchvision's layout the file holds under it kept (the
 * backbone, and {@code fc} and the batch norms' {@code num_batches_tracked} when the file has them, so a plain
 * torchvision file converts to exactly its own keys), keys outside that layout (a Re-ID classifier) left out. Exit status 0 when the file loads as
 * the encoder (or, without --encoder, when it reads), 2 with one line otherwise.
 */
@Command(name = "weights", description = {"Show what a PyTorch weights file (.pth, .safetensors) holds and how it "
    + "maps onto a torchvision ResNet encoder; optionally convert its backbone to .safetensors.",
    "Exit status 0 when the file reads (and, with --encoder, loads as that encoder), 2 with one line otherwise."})
final class WeightsCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "A .pth (zip or legacy format) or .safetensors file.")
  Path file;

  @Option(names = "--encoder", paramLabel = "NAME", description = "resnet18, resnet34, resnet50 or resnet101: show "
      + "how the file maps onto that encoder's backbone.")
  String encoder;

  @Option(names = "--width", description = "The encoder's width (stem channels; torchvision's and its weights': 64).")
  int width = 64;

  @Option(names = "--prefix", paramLabel = "PREFIX", description = "How file keys map to torchvision's: auto "
      + "(default: the prefix holding most backbone keys), none, or a prefix such as module.base.")
  String prefix = "auto";

  @Option(names = "--keys", negatable = true, description = "List every key (default: on without --encoder, the "
      + "mapping instead with it).")
  Boolean keys;

  @Option(names = "--convert", paramLabel = "OUT.safetensors", description = "With --encoder: write the file's "
      + "torchvision keys (the backbone, and fc and num_batches_tracked when the file has them) under torchvision's "
      + "names to this new .safetensors file (never overwrites).")
  Path convert;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file)) {
      throw new IbreidException("weights file " + file + " does not exist (expected a PyTorch state dict: .pth or "
          + ".safetensors)");
    }
    if (convert != null && encoder == null) {
      throw new IbreidException("weights --convert needs --encoder (resnet18, resnet34, resnet50 or resnet101): "
          + "the backbone's keys are what is converted");
    }
    TorchvisionResNet network = null;
    if (encoder != null) {
      network = TorchvisionResNet.of(encoder);
      if (network == null) {
        throw new IbreidException("weights --encoder must be one of " + Arrays.stream(TorchvisionResNet.values())
            .map(TorchvisionResNet::id).collect(Collectors.joining(", ")) + ", got " + encoder);
      }
      if (width < 1) {
        throw new IbreidException("weights --width must be > 0, got " + width);
      }
    }
    if (convert != null && Files.exists(convert)) {
      throw new IbreidException(convert + " already exists; not overwritten (remove it or choose another name)");
    }
    PrintWriter out = spec.commandLine().getOut();
    StateDict sd = StateDict.read(file);
    if (network == null) {
      if (keys == null || keys) {
        StateDictSummary.of(sd).forEach(out::println);
      } else {
        out.println(StateDictSummary.of(sd).get(0));
      }
      out.flush();
      return 0;
    }
    Map<String, long[]> expected = network.keys(width, 0);
    KeyMapping mapping = KeyMapping.of(sd, expected, Prefix.parse(prefix));
    if (keys != null && keys) {
      StateDictSummary.of(sd).forEach(out::println);
    }
    StateDictSummary.of(mapping, expected).forEach(out::println);
    out.flush();
    // one line, as a run would refuse the file
    Map<String, Tensor> tensors = mapping.requireAll();
    if (convert != null) {
      // the file's full torchvision state dict: with its fc and num_batches_tracked buffers when it has them
      Tensor fcBias = sd.get(mapping.prefix() + "fc.bias");
      int classes = fcBias != null && fcBias.shape().length == 1 ? (int) fcBias.shape()[0] : 0;
      tensors = mapping.requireAll(network.stateDict(width, classes));
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("format", "pt");
      meta.put("source", file.getFileName().toString());
      meta.put("prefix", mapping.prefix());
      meta.put("network", network.id());
      meta.put("writer", "ibreid weights --convert");
      SafetensorsWriter.write(convert, tensors, meta);
      long batches = tensors.keySet().stream().filter(k -> k.endsWith("." + TorchvisionResNet.BATCHES_TRACKED))
          .count();
      out.println("wrote " + convert + ": " + tensors.size() + " tensors of " + network.id()
          + " under torchvision's names (" + (tensors.containsKey("fc.weight") ? "with" : "without") + " fc, "
          + batches + " num_batches_tracked, as in the file)");
      out.flush();
    }
    return 0;
  }
}
