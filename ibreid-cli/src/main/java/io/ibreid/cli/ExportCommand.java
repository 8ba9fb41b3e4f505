package io.ibreid.cli;

import io.ibreid.Embedder;
import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.export.OnnxExport;
import io.ibreid.export.SafetensorsExport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibreid export}: a run's test-time feature function as an ONNX model, or one branch's torchvision backbone as
 * safetensors under torchvision's keys (docs/deployment.md).
 */
@Command(name = "export", description = "Export a trained run: --format onnx writes its test-time feature function "
    + "as an ONNX model (input image N x 3 x H x W, normalised; outputs feature_visible, feature_infrared; input size, "
    + "normalisation and feature parts in its metadata); --format safetensors writes one branch's torchvision ResNet "
    + "backbone under torchvision's state_dict keys (torchvision.models.resnet50() loads it with strict=False, only "
    + "fc.* missing).")
final class ExportCommand implements Callable<Integer> {
  static final List<String> FORMATS = List.of("onnx", "safetensors");

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "Run directory (ibreid train --out).")
  Path run;

  @Option(names = "--checkpoint", defaultValue = "best", description = "best (validation), last, or a checkpoint "
      + "folder name (default: best, falling back to last).")
  String checkpoint;

  @Option(names = "--format", required = true, description = "onnx or safetensors.")
  String format;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to write (e.g. model.onnx, "
      + "backbone.safetensors); an existing file is refused unless --overwrite is given.")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing --out file (whole and atomically: a failed "
      + "export leaves it as it was).")
  boolean overwrite;

  @Option(names = "--view", defaultValue = "both", description = "both, visible or infrared: the outputs to export "
      + "(default: both).")
  String view;

  @Option(names = "--branch", paramLabel = "NAME", description = "safetensors: the branch whose backbone to export "
      + "(visible, infrared, shared; default: the one branch the run's test feature uses).")
  String branch;

  @Option(names = "--normalise-whole", description = "L2-normalise the whole concatenated feature as well (by "
      + "default each part is normalised, as ibreid's own features are).")
  boolean normaliseWhole;

  @Override
  public Integer call() {
    if (!FORMATS.contains(format)) {
      throw new IbreidException("--format must be one of " + FORMATS + ", got [" + format + "]");
    }
    if (Files.isRegularFile(out) && !overwrite) {
      throw new IbreidException("--out " + out + " already exists; pass --overwrite to replace it, or choose another "
          + "file");
    }
    if (format.equals("safetensors")) {
      return safetensors();
    }
    if (branch != null) {
      throw new IbreidException("--branch is for --format safetensors (an ONNX export holds the whole test-time "
          + "feature); got --branch " + branch + " with --format " + format);
    }
    List<View> views = switch (view) {
      case "both" -> List.of(View.VISIBLE, View.INFRARED);
      case "visible" -> List.of(View.VISIBLE);
      case "infrared" -> List.of(View.INFRARED);
      default -> throw new IbreidException("--view must be one of [both, visible, infrared], got [" + view + "]");
    };
    Embedder embedder = Embedder.open(run, checkpoint);
    OnnxExport.Result r = embedder.exportOnnx(out, new OnnxExport.Options(views, normaliseWhole));
    PrintWriter console = spec.commandLine().getOut();
    console.printf("wrote %s (%,d bytes): input image N x 3 x %s x %s, outputs %s of %d columns (%s), run %s "
        + "fingerprint %s%n", out, r.bytes(), r.metadata().get("ibreid.input.height"),
        r.metadata().get("ibreid.input.width"), views.stream().map(OnnxExport::outputName).toList(), r.dimension(),
        r.metadata().get("ibreid.feature.normalisation"), r.metadata().get("ibreid.run.checkpoint"),
        r.metadata().get("ibreid.run.fingerprint"));
    console.flush();
    return 0;
  }

  private Integer safetensors() {
    if (!view.equals("both") || normaliseWhole) {
      throw new IbreidException("--view and --normalise-whole are for --format onnx; --format safetensors writes a "
          + "backbone's weights, not a feature function");
    }
    Embedder embedder = Embedder.open(run, checkpoint);
    SafetensorsExport.Result r = embedder.exportSafetensors(out, new SafetensorsExport.Options(branch));
    PrintWriter console = spec.commandLine().getOut();
    console.printf("wrote %s (%,d bytes): %d tensors of branch %s's %s under torchvision's keys (width %s, last "
        + "stride %s), run %s fingerprint %s%n", out, r.bytes(), r.tensors(), r.branch(), r.network(),
        r.metadata().get("ibreid.encoder.width"), r.metadata().get("ibreid.encoder.lastStride"),
        r.metadata().get("ibreid.run.checkpoint"), r.metadata().get("ibreid.run.fingerprint"));
    console.printf("torchvision.models.%s().load_state_dict(..., strict=False): missing %s; unexpected %s%n",
        r.network(), r.missingKeys(), r.extraKeys().isEmpty() ? "none" : r.extraKeys());
    console.flush();
    return 0;
  }
}
