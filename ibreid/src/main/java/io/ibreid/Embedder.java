package io.ibreid;

import io.ibreid.core.IbreidException;
import io.ibreid.core.UserFacing;
import io.ibreid.core.branch.View;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.data.image.ImageLoader;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.run.ModelFeatures;
import io.ibreid.export.OnnxExport;
import io.ibreid.export.RunFingerprint;
import io.ibreid.export.SafetensorsExport;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained run opened for inference: the feature that represents an image at test time, exactly as
 * {@code ibreid eval} and {@code ibreid extract} compute it. For an image of modality {@code m} that is the branch
 * outputs named by the run's {@code evaluation.visible} / {@code evaluation.infrared} keys (by default the shared
 * branch's {@code z}, preceded by the image's own modality branch's {@code z} when the run has both), each
 * L2-normalised, side by side; images are decoded, resized and normalised as in training, without augmentation.
 *
 * <pre>{@code
 * Embedder embedder = Embedder.open(Path.of("runs/demo"));
 * float[] query = embedder.embed(Path.of("ir.jpg"), View.INFRARED);
 * float[] gallery = embedder.embed(ImageIO.read(new File("rgb.jpg")), View.VISIBLE);
 * double similarity = Embedder.cosine(query, gallery);
 * }</pre>
 *
 * <p>The {@code embed} methods are synchronized (the network is not thread-safe); open one embedder per thread for
 * parallel use.
 */
public final class Embedder {
  private static final int BATCH = 64;

  private final TrainedRun run;
  private final ModelFeatures features;
  private final ImageLoader images;
  private String fingerprint;

  private Embedder(TrainedRun run) {
    this.run = run;
    this.features = new ModelFeatures(run.model(), run.config().evaluation, new TrainingImageLoader(), BATCH);
    this.images = new ImageLoader(run.model().imageShape());
  }

  /** Opens {@code runDir} at its best checkpoint (the validation's choice, else the newest valid one). */
  public static Embedder open(Path runDir) {
    return open(runDir, "best");
  }

  /**
   * Opens {@code runDir} at {@code checkpoint} ({@code best}, {@code last} or a folder name such as
   * {@code iter-00000120}), assembling the model with the discovered plug-ins plus {@code plugins} (pass the ones a
   * run was trained with through {@link TrainOptions#withPlugins}). Loads ND4J first ({@link NativeRuntime#load()}).
   *
   * @throws IbreidException when the folder is not a run directory or holds no valid checkpoint
   */
  public static Embedder open(Path runDir, String checkpoint, IbreidPlugin... plugins) {
    NativeRuntime.load();
    Plugins registry = Plugins.discover(plugins);
    try {
      return new Embedder(TrainedRun.open(runDir, checkpoint, registry));
    } catch (RuntimeException e) {
      throw UserFacing.exception(e);
    }
  }

  /** The test-time feature of an image file (JPG, PNG or BMP) of the given modality. */
  public synchronized float[] embed(Path image, View modality) {
    return embed(List.of(image), modality)[0];
  }

  /** The test-time features of image files that all have the given modality, one row per image. */
  public synchronized float[][] embed(List<Path> images, View modality) {
    check(modality);
    return rows(features.extract(images, modality));
  }

  /** The test-time feature of an image in memory (any size and type; grey images count as three equal channels). */
  public synchronized float[] embed(BufferedImage image, View modality) {
    check(modality);
    if (image == null) {
      throw new IbreidException("image is null; expected a decoded image");
    }
    float[] pixels = images.load(image);
    return rows(features.extract(Nd4j.create(pixels, run.model().imageShape().batchShape(1), 'c'), modality))[0];
  }

  /** Columns of every feature this embedder returns (equal for both modalities). */
  public int dimension() {
    return features.dim();
  }

  /** The branch outputs a feature of {@code modality} is made of, in order, e.g. {@code [visible.z, shared.z]}. */
  public List<String> parts(View modality) {
    check(modality);
    return features.parts(modality).stream().map(ModelFeatures.Part::toString).toList();
  }

  /**
   * The fingerprint of this feature function ({@link RunFingerprint}): weights, input shape and feature parts. A
   * gallery index records it and refuses query features of another.
   */
  public synchronized String fingerprint() {
    if (fingerprint == null) {
      fingerprint = RunFingerprint.of(run, features);
    }
    return fingerprint;
  }

  /**
   * Writes this feature function as an ONNX model ({@link OnnxExport}): input {@code image} (N×3×H×W, normalised as
   * {@link #embed} normalises), outputs {@code feature_visible} / {@code feature_infrared}, metadata with the input
   * size, the normalisation constants, the parts and the fingerprint. The file is written atomically.
   *
   * @throws IbreidException when {@code out} cannot be written or a layer of the model has no ONNX translation
   */
  public synchronized OnnxExport.Result exportOnnx(Path out, OnnxExport.Options options) {
    try {
      return OnnxExport.write(run, out, options);
    } catch (RuntimeException e) {
      throw UserFacing.exception(e);
    }
  }

  /**
   * Writes one branch's backbone as a safetensors file under torchvision's state-dict keys ({@link
   * SafetensorsExport}): {@code torchvision.models.resnet50()} and its kin load it with {@code strict=False}, only
   * {@code fc.*} missing; the BN-neck follows under {@code ibreid.<branch>.bnneck.}; the header's metadata names the
   * run, checkpoint, fingerprint, architecture, input size and normalisation. The file is written atomically (an
   * existing one is replaced whole, as {@link #exportOnnx} replaces its file).
   *
   * @throws IbreidException (one line) when the branch is ambiguous or unknown, its encoder is not a torchvision
   *     ResNet, or {@code out} cannot be written
   */
  public synchronized SafetensorsExport.Result exportSafetensors(Path out, SafetensorsExport.Options options) {
    try {
      return SafetensorsExport.write(run, out, options);
    } catch (RuntimeException e) {
      throw UserFacing.exception(e);
    }
  }

  /** The checkpoint folder the weights were read from. */
  public Path checkpoint() {
    return run.checkpoint();
  }

  /** The run's resolved config. */
  public RunConfig config() {
    return run.config();
  }

  /** Cosine similarity of two features (1 for the same direction); features of different lengths are an error. */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IbreidException("features of " + a.length + " and " + b.length + " columns cannot be compared");
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.max(Math.sqrt(na) * Math.sqrt(nb), 1e-12);
  }

  /**
   * One line: the run, the checkpoint and what a feature is made of, e.g. {@code Embedder[runs/tiny at
   * checkpoints/best: 32 columns, visible [visible.z, shared.z], infrared [infrared.z, shared.z], input 3x64x32]}.
   */
  @Override
  public String toString() {
    Path cp = run.checkpoint();
    Path root = run.directory();
    String at = root != null && cp.startsWith(root) ? root.relativize(cp).toString() : cp.toString();
    return "Embedder[" + root + " at " + at + ": " + dimension() + " columns, visible " + parts(View.VISIBLE)
        + ", infrared " + parts(View.INFRARED) + ", input " + run.model().imageShape() + "]";
  }

  private static void check(View modality) {
    if (modality == null) {
      throw new IbreidException("modality is null; expected View.VISIBLE or View.INFRARED");
    }
  }

  private static float[][] rows(FeatureMatrix m) {
    float[][] out = new float[m.rows()][m.dim()];
    for (int r = 0; r < m.rows(); r++) {
      m.row(r, out[r]);
    }
    return out;
  }
}
