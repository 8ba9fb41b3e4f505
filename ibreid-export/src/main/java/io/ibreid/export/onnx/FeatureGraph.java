package io.ibreid.export.onnx;

import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.InputTransform;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.export.onnx.OnnxGraph.Attribute;
import java.util.ArrayList;
import java.util.List;

/**
 * The ONNX graph of test-time features over one image input: each feature is its parts (a branch output for images
 * through an input transform), each L2-normalised as {@code x / max(‖x‖, 1e-12)}, concatenated along the columns,
 * optionally L2-normalised again. Parts that share a branch and a transform share their nodes.
 */
public final class FeatureGraph {
  /** The image input's name. */
  public static final String INPUT = "image";

  /** One part of a feature. */
  public record Part(BranchRole branch, String output, InputTransform transform) {}

  private final OnnxGraph onnx;
  private final GraphTranslator translator;
  private String epsilon;

  public FeatureGraph(ReidModel model, String name) {
    onnx = new OnnxGraph(name);
    ImageShape s = model.imageShape();
    onnx.input(INPUT, "N", (long) s.channels(), (long) s.height(), (long) s.width());
    translator = new GraphTranslator(model, onnx, INPUT);
  }

  public OnnxGraph onnx() {
    return onnx;
  }

  /** Adds output {@code name} (N×{@code dim}): the parts, each L2-normalised, side by side. */
  public void feature(String name, List<Part> parts, int dim, boolean normaliseWhole) {
    List<String> normalised = new ArrayList<>();
    for (Part p : parts) {
      String raw = translator.output(p.branch(), p.output(), p.transform());
      String n = p.transform().label() + "/" + p.branch().label() + "." + p.output() + "/l2";
      normalised.add(onnx.has(n) ? n : l2(raw, n));
    }
    String f = normalised.size() == 1 ? normalised.get(0)
        : onnx.node("Concat", name + "/concat", normalised, Attribute.of("axis", 1L));
    if (normaliseWhole) {
      f = l2(f, name + "/l2");
    }
    onnx.node("Identity", name, List.of(f));
    onnx.output(name, "N", (long) dim);
  }

  private String l2(String x, String out) {
    if (epsilon == null) {
      epsilon = onnx.constant("l2/epsilon", new float[] {1e-12f});
    }
    String norm = onnx.node("ReduceL2", out + "/norm", List.of(x), Attribute.of("axes", new long[] {1L}),
        Attribute.of("keepdims", 1L));
    String floor = onnx.node("Max", out + "/floor", List.of(norm, epsilon));
    return onnx.node("Div", out, List.of(x, floor));
  }
}
