package io.ibreid.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run, as read from YAML. Every field has a default; a key not declared here is an error naming it.
 * Plug-in {@code params:} blocks are bound later to each plug-in's own parameters class.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "seed", "precision", "data", "input", "sampler", "wiring", "branches", "losses", "optimizer",
    "schedule", "checkpoint", "log", "onNonFinite", "validation", "evaluation"})
public final class RunConfig {
  /** Free text shown in logs. */
  public String name = "run";
  /** Seeds parameter init, data order, augmentation and noise. */
  public long seed = 1;
  /** {@code float} (default) or {@code double} (for gradient checks). */
  public String precision = "float";
  public Data data = new Data();
  public Input input = new Input();
  public Sampler sampler = new Sampler();
  /**
   * Which images each branch receives: {@code paper} (default: the visible branch sees visible images, the infrared
   * branch infrared images, the shared branch both) or {@code release} (the authors' public code: every image goes
   * through every branch, the infrared branch and the shared branch's second view receiving grayscale copies); see
   * {@link io.ibreid.core.branch.Wiring}.
   */
  public String wiring = "paper";
  /** Branch name ({@code visible}, {@code infrared}, {@code shared}) → its parts. */
  public Map<String, BranchSpec> branches = new LinkedHashMap<>();
  public List<LossSpec> losses = new ArrayList<>();
  public Optimizer optimizer = new Optimizer();
  public Schedule schedule = new Schedule();
  public Checkpoint checkpoint = new Checkpoint();
  public Log log = new Log();
  /** What to do when a loss value or gradient is NaN or infinite: {@code stop} or {@code skip} the batch. */
  public String onNonFinite = "stop";
  /** How often the validation split scores the model (when a validator is bound) to keep the best checkpoint. */
  public Validation validation = new Validation();
  /** Which features represent an image at test time, per modality. */
  public Evaluation evaluation = new Evaluation();

  /**
   * One line: name, data set, input, branches with their encoders, loss terms and schedule, e.g.
   * {@code RunConfig[tiny: synthetic-sysu at data/lab-tiny, input 64x32, branches {shared: fast-resnet + mlp},
   * losses [ce@shared, vsd@shared], 4 epochs x 5 batches]}. The whole config: {@code ConfigLoader.toYaml(config)}.
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    if (branches != null) {
      branches.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(": ")
          .append(v == null || v.encoder == null ? "?" : v.encoder.type).append(" + ")
          .append(v == null || v.bottleneck == null ? "?" : v.bottleneck.type));
    }
    List<String> terms = new ArrayList<>();
    if (losses != null) {
      losses.forEach(l -> terms.add(l == null ? "?" : l.type + "@" + l.branch));
    }
    return "RunConfig[" + name + ": " + (data == null ? "no data" : data.type + " at " + data.root) + ", input "
        + (input == null ? "?" : input.height + "x" + input.width) + ", branches {" + b + "}, losses " + terms
        + ", " + (schedule == null ? "no schedule" : schedule.epochs + " epochs"
        + (schedule.batchesPerEpoch > 0 ? " x " + schedule.batchesPerEpoch + " batches" : "")
        + (schedule.maxIterations > 0 ? ", at most " + schedule.maxIterations + " iterations" : "")) + "]";
  }

  /** The training data set. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Data {
    /** Data set plug-in name, e.g. {@code synthetic-sysu}, {@code sysu}, {@code regdb}. */
    public String type = "synthetic-sysu";
    /** Data set root folder. */
    public String root = "data/lab-sysu";
    /** Loader threads. */
    public int workers = 2;
    public Map<String, Object> params = new LinkedHashMap<>();
  }

  /** Network input size (images are resized to it). */
  public static final class Input {
    public int height = 64;
    public int width = 32;
  }

  /** P×K sampling: P identities per batch, K images each (K/2 visible + K/2 infrared). */
  public static final class Sampler {
    public int identities = 8;
    public int instances = 4;
  }

  /** A plug-in reference: its name and parameters. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class PluginSpec {
    public String type;
    public Map<String, Object> params = new LinkedHashMap<>();

    public PluginSpec() {}

    public PluginSpec(String type) {
      this.type = type;
    }
  }

  /** One branch: encoder and bottleneck. */
  public static final class BranchSpec {
    public PluginSpec encoder = new PluginSpec("small-resnet");
    public PluginSpec bottleneck = new PluginSpec("mlp");
  }

  /** One weighted loss term. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class LossSpec {
    /** Loss plug-in name. */
    public String type;
    /** Label in logs and metrics; defaults to type_branch[_on]. */
    public String name;
    public double weight = 1.0;
    /** Shorthand: let the plug-in bind its slots to this branch's outputs. */
    public String branch;
    /** Explicit slot → output-key bindings (override the shorthand). */
    public Map<String, String> inputs = new LinkedHashMap<>();
    public Map<String, Object> params = new LinkedHashMap<>();
  }

  /** Adam with L2 weight decay added to the gradient (as PyTorch's {@code Adam(weight_decay=...)}). */
  public static final class Optimizer {
    public double lr = 3.5e-4;
    public double weightDecay = 5e-4;
  }

  /** Linear warm-up from {@code warmupFactor·lr} to {@code lr}, then ×gamma at each milestone epoch. */
  public static final class Schedule {
    public int epochs = 10;
    public double warmupEpochs = 1;
    public double warmupFactor = 0.1;
    public List<Integer> milestones = new ArrayList<>();
    public double gamma = 0.1;
    /** Stop after this many iterations in total (0 = run all epochs). */
    public long maxIterations = 0;
    /** Cap on batches per epoch (0 = the data set's own epoch length). */
    public int batchesPerEpoch = 0;
  }

  /** Checkpointing. */
  public static final class Checkpoint {
    /** Also write a checkpoint every this many iterations (0 = only at epoch ends). */
    public int everyIterations = 0;
    /** How many periodic checkpoints to keep (the best one is kept apart). */
    public int keep = 2;
  }

  /** Metrics and console cadence. */
  public static final class Log {
    public int everyIterations = 10;
  }

  /** Validation cadence. */
  public static final class Validation {
    public int everyEpochs = 1;
  }

  /**
   * Test-time features: output keys concatenated per modality (each part L2-normalised first). A key is
   * {@code branch.output} (the branch fed its own input, see {@link io.ibreid.core.branch.Wiring#inputOf}) or
   * {@code branch.output@transform} with transform {@code raw} or {@code gray} (the branch fed the image as loaded
   * or its grayscale copy). {@code visible}/{@code infrared} are the primary feature (checkpoint choice, the
   * top-level metrics); {@code featureSets} adds named sets that {@code ibreid eval} scores on the same queries,
   * galleries and trials (metrics.json: {@code featureSets.NAME}).
   */
  @JsonPropertyOrder({"visible", "infrared", "featureSets"})
  public static final class Evaluation {
    public List<String> visible = new ArrayList<>();
    public List<String> infrared = new ArrayList<>();
    /** Name → an extra feature set, evaluated next to the primary one. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public Map<String, FeatureSet> featureSets = new LinkedHashMap<>();
  }

  /** One named feature set: output keys per modality, as {@link Evaluation#visible} / {@link Evaluation#infrared}. */
  public static final class FeatureSet {
    public List<String> visible = new ArrayList<>();
    public List<String> infrared = new ArrayList<>();

    public FeatureSet() {}

    public FeatureSet(List<String> visible, List<String> infrared) {
      this.visible = new ArrayList<>(visible);
      this.infrared = new ArrayList<>(infrared);
    }
  }
}
