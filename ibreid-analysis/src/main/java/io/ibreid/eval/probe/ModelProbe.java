package io.ibreid.eval.probe;

import io.ibreid.core.branch.Branch;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.View;
import io.ibreid.core.config.RunConfig;
import io.ibreid.data.ImageRecord;
import io.ibreid.eval.extract.FeatureExtractor;
import io.ibreid.eval.extract.ImageLoader;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.run.ModelFeatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The features of a trained model that {@link Probes} probes: each branch's observation {@code v} and
 * representation {@code z} (and any other output named in {@code outputs}), computed for the images of the
 * modalities the branch sees in training (the visible branch for visible images, the infrared branch for infrared
 * ones, the shared branch for both) or, with {@code allImages}, for every image; then the configured test-time
 * feature ({@link ModelFeatures}: the run's {@code evaluation} keys) when it is not already one of those rows.
 */
public final class ModelProbe {
  private ModelProbe() {}

  /** The features, in the order: branches in the model's order, outputs in {@code outputs}' order, test feature. */
  public static List<Probes.Feature> features(ReidModel model, RunConfig.Evaluation keys, FactorTable table,
      ImageLoader loader, List<String> outputs, boolean allImages) {
    List<Probes.Feature> out = new ArrayList<>();
    FeatureExtractor extractor = new FeatureExtractor(model, loader, 64);
    List<View> present = table.modalities();
    for (Branch b : model.branches()) {
      BranchRole role = b.role();
      List<View> views = allImages ? present : role.views().stream().filter(present::contains).toList();
      if (views.isEmpty()) {
        continue;
      }
      List<Path> paths = paths(table, views);
      for (String o : outputs) {
        if (model.outputIndex(role, o) < 0) {
          continue;
        }
        try {
          out.add(new Probes.Feature(role.label() + "." + o, views, extractor.extract(paths, role, o)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    ModelFeatures test = new ModelFeatures(model, keys, loader, 64);
    List<ModelFeatures.Part> pv = test.parts(View.VISIBLE);
    List<ModelFeatures.Part> pi = test.parts(View.INFRARED);
    boolean single = pv.size() == 1 && pv.equals(pi) && out.stream().anyMatch(f -> f.name().equals(pv.get(0)
        .toString()) && f.modalities().equals(present));
    if (!single) {
      List<ImageRecord> images = new ArrayList<>();
      for (int i : Probes.imagesOf(table, present)) {
        images.add(table.images().get(i));
      }
      FeatureMatrix f = test.extract(images);
      String name = "test " + (pv.equals(pi) ? join(pv) : join(pv) + " | " + join(pi));
      out.add(new Probes.Feature(name, present, f));
    }
    return out;
  }

  private static String join(List<ModelFeatures.Part> parts) {
    return String.join("+", parts.stream().map(ModelFeatures.Part::toString).toList());
  }

  private static List<Path> paths(FactorTable table, List<View> views) {
    List<Path> out = new ArrayList<>();
    for (int i : Probes.imagesOf(table, views)) {
      out.add(table.images().get(i).path());
    }
    return out;
  }
}
