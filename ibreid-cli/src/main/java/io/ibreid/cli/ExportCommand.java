package io.ibreid.cli;

import io.ibreid.Embedder;
import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.export.OnnxExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ibreid export}: a run's test-time feature function as an ONNX model (docs/deployment.md). */
@Command(name = "export", description = "Export a trained run's test-time feature function: --format onnx writes "
    + "an ONNX model (input image N x 3 x H x W, normalised; outputs feature_visible, feature_infrared; input size, "
    + "normalisation and feature parts in its metadata).")
final class ExportCommand implements Callable<Integer> {
  static final List<String> FORMATS = List.of("onnx");

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "Run directory (ibreid train --out).")
  Path run;

  @Option(names = "--checkpoint", defaultValue = "best", description = "best (validation), last, or a checkpoint "
      + "folder name (default: best, falling back to last).")
  String checkpoint;

  @Option(names = "--format", required = true, description = "onnx.")
  String format;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to write (e.g. model.onnx).")
  Path out;

  @Option(names = "--view", defaultValue = "both", description = "both, visible or infrared: the outputs to export "
      + "(default: both).")
  String view;

  @Option(names = "--normalise-whole", description = "L2-normalise the whole concatenated feature as well (by "
      + "default each part is normalised, as ibreid's own features are).")
  boolean normaliseWhole;

  @Override
  public Integer call() {
    if (!FORMATS.contains(format)) {
      throw new IbreidException("--format must be one of " + FORMATS + ", got [" + format + "]");
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
}
