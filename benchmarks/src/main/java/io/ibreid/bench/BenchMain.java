package io.ibreid.bench;

import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.branch.Branch;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.train.Optimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Benchmark main: the SGEMM rate through ND4J, then for each encoder configuration a one-branch model (encoder +
 * mlp bottleneck + identity heads, as the trainer builds it) trained with external errors exactly as
 * {@code Trainer.step} does (forwardBackward, Adam update, parameter subtraction), reporting the analytic FLOPs,
 * step time, images/s, achieved GFLOP/s and its ratio to SGEMM, and feature-extraction images/s. Configurations are
 * measured round-robin in one process so that their ratios share the machine's load.
 */
@Command(name = "ibreid-bench", mixinStandardHelpOptions = true,
    description = "SGEMM GFLOP/s, training-step GFLOP/s and img/s, feature-extraction img/s for encoders")
public final class BenchMain implements Callable<Integer> {
  @Option(names = "--encoder", split = ",", description = "encoder plug-in name(s), measured side by side "
      + "(default small-resnet); NAME:key=value:key=value sets parameters of that one, e.g. "
      + "fast-resnet:dataFormat=NCHW:weightsFormat=OIYX:stages=2/2/2 (arrays with '/')")
  List<String> encoders = new ArrayList<>(List.of("small-resnet"));

  @Option(names = "--input", description = "image shape CxHxW (default 3x64x32)")
  String input = "3x64x32";

  @Option(names = "--width", description = "encoder width (channels of the first stage)")
  Integer width;

  @Option(names = "--stages", description = "blocks per stage, comma separated, e.g. 1,1,1")
  String stages;

  @Option(names = "--dim", description = "observation size D")
  Integer dim;

  @Option(names = {"-P", "--param"}, description = "extra encoder parameter key=value (repeatable)")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--batch", description = "images per branch and modality per training step (default 32)")
  int batch = 32;

  @Option(names = "--branches", description = "1: one visible branch (default); 3: visible, infrared and shared "
      + "branches as the full method trains them (the shared branch sees 2 x batch images per step)")
  int branches = 1;

  @Option(names = "--infer-batch", description = "images per feature-extraction call (default 128)")
  int inferBatch = 128;

  @Option(names = "--threads", description = "thread setting: N (every pool N threads) or ND4J/OMP/BLAS, e.g. 2/2/1 "
      + "(default: what training runs with, NativeRuntime.trainingThreads())")
  String threads;

  @Option(names = "--thread-sweep", split = ",", description = "thread counts measured side by side in this process: "
      + "every round runs every encoder once per setting (Threads.set before each), e.g. 1,2; a setting N sets all "
      + "pools to N, ND4J/OMP/BLAS (e.g. 1/2/1) sets libnd4j's op threads, OpenMP's (oneDNN) and the BLAS's apart")
  List<String> threadSweep;

  @Option(names = "--steps", description = "timed training steps per round (default 10)")
  int steps = 10;

  @Option(names = "--warmup", description = "untimed warm-up steps before an encoder's first round: a count, or auto "
      + "(default): until the JIT compiler has spent at most " + JitWarmup.IDLE_PERCENT + " %% of the "
      + "last " + JitWarmup.WINDOW + " steps' wall "
      + "time compiling (at least "
      + JitWarmup.MIN_STEPS + ", at most " + JitWarmup.MAX_STEPS + " steps or " + (int) JitWarmup.MAX_SECONDS
      + " s). A short fixed warm-up times the JIT: its "
      + "compiler threads take a core for the first few hundred steps, which slows the 2-thread step far more than the "
      + "1-thread one")
  String warmup = "auto";

  @Option(names = "--rounds", description = "round-robin rounds over the encoders (default 2)")
  int rounds = 2;

  @Option(names = "--classes", description = "identities of the classifier heads (default 200)")
  int classes = 200;

  @Option(names = "--z-dim", description = "bottleneck z size (default 256)")
  int zDim = 256;

  @Option(names = "--workspace", description = "ENABLED or NONE (default ENABLED)")
  WorkspaceMode workspace = WorkspaceMode.ENABLED;

  @Option(names = "--dtype", description = "FLOAT or DOUBLE (default FLOAT)")
  DataType dataType = DataType.FLOAT;

  @Option(names = "--sgemm", description = "SGEMM matrix size (default 1024)")
  int sgemmSize = 1024;

  @Option(names = "--objective", description = "compute the external errors with ib-core's losses (label-smoothed "
      + "cross-entropy on v_logits and z_logits, batch-hard triplet on v and z, per branch and per view of the shared "
      + "branch) on identity-structured batches of 4 images per identity, instead of fixed random errors")
  boolean objective;

  @Option(names = "--profile", description = "also print a per-vertex forward/backward time profile, the time of "
      + "every op inside the fused trunk, the step's phases (forward, backward, updater) with workspaces, the native "
      + "op calls per step and the fixed cost of one call")
  boolean profile;

  @Option(names = "--no-infer", description = "skip the feature-extraction measurement")
  boolean noInfer;

  public static void main(String[] args) {
    try {
      NativeRuntime.load(); // the build this CPU runs (IBREID_NATIVE forces one), before anything else
    } catch (io.ibreid.core.IbreidException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
    }
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  /** A measured configuration: its model, FLOPs per example by vertex, FLOPs and branch-images per step. */
  private record Setup(String label, ReidModel model, Optimizer adam, FlopCounter.Count flops, double stepFlops,
      int stepImages) {}

  private List<BranchRole> roles() {
    return switch (branches) {
      case 1 -> List.of(BranchRole.VISIBLE);
      case 3 -> List.of(BranchRole.VISIBLE, BranchRole.INFRARED, BranchRole.SHARED);
      default -> throw new CommandLine.ParameterException(new CommandLine(this), "--branches must be 1 or 3");
    };
  }

  /** Images pushed through an encoder per step: batch per single-modality branch, 2 x batch for the shared one. */
  private int imagesPerStep() {
    return branches == 3 ? 4 * batch : batch;
  }

  @Override
  public Integer call() throws Exception {
    warmupSteps(); // a bad --warmup is reported before any work
    if (threads != null) {
      Threads.set(threads);
    } else if (threadSweep == null) {
      // what training runs with: BLAS threads of NativeRuntime.trainingThreads(), OpenMP's as ND4J chose
      NativeRuntime.trainingThreads();
    }
    ImageShape shape = parseShape(input);
    System.out.println("# ibreid-bench  " + new java.util.Date());
    io.ibreid.core.natives.CpuInfo cpu = NativeRuntime.cpu();
    System.out.println("# cpu: " + (cpu.model().isEmpty() ? "unknown" : cpu.model()) + "; avx512f: "
        + cpu.flags().contains("avx512f") + "; cores: "
        + Runtime.getRuntime().availableProcessors());
    System.out.println("# threads: " + Threads.describe() + "; OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS"));
    io.ibreid.core.natives.NativeChoice nativeBuild = NativeRuntime.select();
    System.out.println("# native build: " + nativeBuild.build().id() + " (" + nativeBuild.reason()
        + ") from " + NativeRuntime.loadedFrom());
    System.out.println("# nd4j: " + Nd4j.getExecutioner().getEnvironmentInformation());
    System.out.println("# load at start: " + loadAverage());
    double sgemm0 = Sgemm.gflops(sgemmSize, 7);
    System.out.printf("SGEMM %d^3 float: %.1f GFLOP/s%n", sgemmSize, sgemm0);

    Plugins plugins = Plugins.discover();
    List<Setup> setups = new ArrayList<>();
    for (String spec : encoders) {
      String[] parts = spec.split(":");
      String name = parts[0];
      Map<String, Object> p = new LinkedHashMap<>();
      if (width != null) {
        p.put("width", width);
      }
      if (stages != null) {
        p.put("stages", Arrays.stream(stages.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray());
      }
      if (dim != null) {
        p.put("observationSize", dim);
      }
      params.forEach((k, v) -> p.put(k, parseValue(v)));
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].split("=", 2);
        p.put(kv[0], parseValue(kv[1]));
      }
      MlpBottleneck.Params bp = new MlpBottleneck.Params();
      bp.dim = zDim;
      List<Branch> list = new ArrayList<>();
      for (BranchRole role : roles()) {
        list.add(new Branch(role,
            plugins.get(EncoderFactory.KIND, name).fromConfig(new LinkedHashMap<>(p), "encoder.params"),
            new MlpBottleneck(bp)));
      }
      ReidModel model = ReidModel.build(list, shape, classes, new ReidModel.Options(1, dataType, workspace));
      // Adam with weight decay, as a training run steps (a model carries no optimiser of its own)
      Optimizer adam = new Optimizer(model.graph(), new FixedSchedule(1e-4), 5e-4);
      InputType[] types = new InputType[list.size()];
      Arrays.fill(types, InputType.convolutional(shape.height(), shape.width(), shape.channels()));
      FlopCounter.Count perExample = FlopCounter.count(model.graph().getConfiguration(), types);
      // Work per step: each branch's vertices times the rows that branch sees.
      long stepForward = 0;
      for (Map.Entry<String, Long> e : perExample.byVertex().entrySet()) {
        stepForward += e.getValue() * (e.getKey().startsWith(BranchRole.SHARED.prefix()) ? 2L * batch : batch);
      }
      StringBuilder label = new StringBuilder(name);
      p.forEach((k, v) -> label.append(label.length() == name.length() ? " " : ",").append(k).append('=')
          .append(v instanceof int[] a ? Arrays.toString(a).replace(" ", "") : v));
      if (branches == 3) {
        label.append(" x3 branches");
      }
      setups.add(new Setup(label.toString(), model, adam, perExample, 3.0 * stepForward, imagesPerStep()));
      System.out.printf("model %s: %d parameters, forward %.1f MFLOP per branch-image (conv+dense), training step "
          + "%.2f GFLOP for %d branch-images%n", label, model.graph().numParams(),
          perExample.forwardPerExample() / 1e6 / list.size(), 3.0 * stepForward / 1e9, imagesPerStep());
    }

    Map<String, List<Double>> stepSeconds = new LinkedHashMap<>();
    Map<String, List<Double>> inferRate = new LinkedHashMap<>();
    List<String> sweep = threadSweep == null || threadSweep.isEmpty() ? java.util.Collections.singletonList(null)
        : threadSweep;
    List<Setup> measured = new ArrayList<>();
    for (String n : sweep) {
      for (Setup s : setups) {
        measured.add(n == null ? s : new Setup(s.label() + " @" + n + " threads", s.model(), s.adam(), s.flops(),
            s.stepFlops(), s.stepImages()));
      }
    }
    for (int round = 0; round < rounds; round++) {
      // the order of the thread counts flips every round
      for (int k = 0; k < measured.size(); k++) {
        int idx = round % 2 == 0 ? k : measured.size() - 1 - k;
        Setup s = measured.get(idx);
        String n = sweep.get(idx / setups.size());
        if (n != null) {
          Threads.set(n);
        }
        double[] t = trainSteps(s.model(), s.adam(), shape, round == 0 ? warmupSteps() : 1, steps, false);
        stepSeconds.computeIfAbsent(s.label(), key -> new ArrayList<>()).add(median(t));
        if (!noInfer) {
          inferRate.computeIfAbsent(s.label(), key -> new ArrayList<>()).add(inferImagesPerSecond(s.model(), shape));
        }
      }
    }
    double sgemm1 = Sgemm.gflops(sgemmSize, 7);
    double sgemm = (sgemm0 + sgemm1) / 2;
    System.out.printf("SGEMM %d^3 float (after): %.1f GFLOP/s; mean %.1f%n", sgemmSize, sgemm1, sgemm);
    System.out.println("# load at end: " + loadAverage());
    System.out.println();
    System.out.printf("| encoder | batch | step ms (median per round) | train img/s | train GFLOP/s | / SGEMM | "
        + "features img/s |%n|---|---|---|---|---|---|---|%n");
    System.out.println("(train img/s counts branch-images: with 3 branches a step of `batch` pairs is 4 x batch)");
    for (Setup s : measured) {
      List<Double> st = stepSeconds.get(s.label());
      double best = st.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      double gf = s.stepFlops() / best / 1e9;
      List<Double> inf = inferRate.getOrDefault(s.label(), List.of());
      System.out.printf("| %s | %d | %s | %.1f | %.2f | %.1f %% | %s |%n", s.label(), batch,
          st.stream().map(x -> String.format("%.0f", x * 1000)).toList(), s.stepImages() / best, gf, 100 * gf / sgemm,
          inf.stream().map(x -> String.format("%.0f", x)).toList());
    }
    if (profile) {
      for (Setup s : setups) {
        printProfile(s, shape);
      }
    }
    return 0;
  }

  /**
   * Runs warm-up steps ({@code warm}, or until the JIT is idle when negative), then {@code timed} timed steps; returns
   * seconds per timed step (all of them with {@code keepAll}, else those the JIT finished no compilation in, when
   * they are at least half) and prints the warm-up length and the JIT's work during the timed steps.
   */
  double[] trainSteps(ReidModel model, Optimizer adam, ImageShape shape, int warm, int timed, boolean keepAll) {
    INDArray[] in = inputs(model, shape, batch);
    int outputs = model.outputs().size();
    INDArray[][] errors = {null};
    io.ibreid.core.objective.Objective loss = objective ? objective(model) : null;
    io.ibreid.core.branch.WiredBatch cm = objective ? model.wire(crossModalBatch(in)) : null;
    JitWarmup jit = new JitWarmup();
    int i = 0;
    while (warm < 0 ? !jit.done() : i < warm) {
      long t0 = System.nanoTime();
      step(model, adam, in, outputs, errors, loss, cm, i++);
      jit.afterWarmupStep(System.nanoTime() - t0);
    }
    int warmed = i;
    jit.startTimed();
    double[] t = new double[timed];
    for (int k = 0; k < timed; k++) {
      long t0 = System.nanoTime();
      step(model, adam, in, outputs, errors, loss, cm, i++);
      t[k] = (System.nanoTime() - t0) / 1e9;
      jit.afterTimedStep();
    }
    double[] quiet = keepAll ? t : jit.quietSteps(t);
    System.out.println("# warm-up: " + warmed + " steps" + (warm < 0 ? " (auto: " + jit.describeWarmup() + ")" : "")
        + "; " + jit.describeTimed(t) + "; " + (quiet.length == t.length ? "all steps kept"
        : String.format("%d of %d steps kept (those the JIT compiler finished no work in): median %.1f ms, all %.1f ms",
            quiet.length, t.length, median(quiet) * 1e3, median(t) * 1e3)));
    return quiet;
  }

  /** One training step: forward, backward (external errors from the objective or fixed random ones), Adam. */
  private void step(ReidModel model, Optimizer adam, INDArray[] in, int outputs, INDArray[][] errors,
      io.ibreid.core.objective.Objective loss, io.ibreid.core.branch.WiredBatch cm, long iteration) {
    Gradient g = model.graph().forwardBackward(in, outs -> {
      if (loss != null) {
        return loss.evaluate(outs, cm, iteration).errors();
      }
      if (errors[0] == null) {
        errors[0] = new INDArray[outputs];
        for (int k = 0; k < outputs; k++) {
          errors[0][k] = Nd4j.randn(outs[k].dataType(), outs[k].shape()).muli(1e-3 / batch);
        }
      }
      return errors[0];
    });
    adam.step(g, iteration, 0, batch);
  }

  /** The --warmup value as a step count, or -1 for auto. */
  private int warmupSteps() {
    if (warmup.equals("auto")) {
      return -1;
    }
    try {
      int n = Integer.parseInt(warmup.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CommandLine.ParameterException(new CommandLine(this),
        "--warmup: a step count >= 0 or auto, got " + warmup);
  }

  double inferImagesPerSecond(ReidModel model, ImageShape shape) {
    INDArray images = Nd4j.rand(dataType, shape.batchShape(inferBatch));
    model.infer(BranchRole.VISIBLE, images, List.of("v"));
    int calls = Math.max(2, 512 / inferBatch);
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      model.infer(BranchRole.VISIBLE, images, List.of("v"));
    }
    return calls * inferBatch / ((System.nanoTime() - t0) / 1e9);
  }

  /** CE on v_logits and z_logits, triplet on v and z, for every branch and every view of the shared branch. */
  private io.ibreid.core.objective.Objective objective(ReidModel model) {
    List<io.ibreid.core.objective.Objective.BoundTerm> terms = new ArrayList<>();
    for (Branch b : model.branches()) {
      List<String> scopes = new ArrayList<>();
      if (b.role() == BranchRole.SHARED) {
        scopes.add("shared.visible");
        scopes.add("shared.infrared");
      } else {
        scopes.add(b.role().label());
      }
      for (String scope : scopes) {
        for (String out : List.of("v_logits", "z_logits")) {
          String key = scope + "." + out;
          terms.add(new io.ibreid.core.objective.Objective.BoundTerm("ce_" + key, 1.0,
              new io.ibreid.core.loss.CrossEntropyLoss(0.1), List.of(io.ibreid.core.loss.Slot.differentiable(
                  "logits", "")), Map.of("logits", io.ibreid.core.branch.OutputKey.parse(key, "bench"))));
        }
        for (String out : List.of("v", "z")) {
          String key = scope + "." + out;
          terms.add(new io.ibreid.core.objective.Objective.BoundTerm("tri_" + key, 1.0,
              new io.ibreid.core.loss.BatchHardTripletLoss(0.3), List.of(io.ibreid.core.loss.Slot.differentiable(
                  "features", "")), Map.of("features", io.ibreid.core.branch.OutputKey.parse(key, "bench"))));
        }
      }
    }
    return new io.ibreid.core.objective.Objective(model, terms, 1);
  }

  /** A cross-modal batch over the benchmark's images: 4 images per identity, identities below --classes. */
  private io.ibreid.core.data.CrossModalBatch crossModalBatch(INDArray[] in) {
    int[] labels = new int[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = (i / 4) % classes;
    }
    INDArray visible = in[0].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, batch));
    return new io.ibreid.core.data.CrossModalBatch(visible, labels, visible.dup(), labels.clone());
  }

  private INDArray[] inputs(ReidModel model, ImageShape shape, int n) {
    List<INDArray> in = new ArrayList<>();
    for (Branch b : model.branches()) {
      in.add(Nd4j.rand(dataType, shape.batchShape(io.ibreid.core.branch.Wiring.PAPER.rows(b.role(), n))));
    }
    if (model.graph().getConfiguration().getNetworkInputs().size() != in.size()) {
      throw new IllegalStateException("bottleneck noise inputs are not supported by the benchmark");
    }
    return in.toArray(INDArray[]::new);
  }

  private void printProfile(Setup s, ImageShape shape) {
    INDArray[] in = inputs(s.model(), shape, batch);
    LayerProfile.profile(s.model().graph(), in, 1);
    int passes = 3;
    LayerProfile.Times times = LayerProfile.profile(s.model().graph(), in, passes);
    System.out.println();
    System.out.println("## per-vertex profile of " + s.label() + " (ms per pass, no workspaces)");
    Map<String, double[]> byKind = new LinkedHashMap<>();
    double total = 0;
    for (Map.Entry<String, long[]> e : times.byVertex().entrySet()) {
      double f = e.getValue()[0] / 1e6 / passes;
      double b = e.getValue()[1] / 1e6 / passes;
      total += f + b;
      Long fl = s.flops().byVertex().get(e.getKey());
      System.out.printf("%-28s %-22s fwd %7.2f  bwd %7.2f%s%n", e.getKey(), times.kind().get(e.getKey()), f, b,
          fl == null ? "" : String.format("  %.2f GFLOP/s fwd", fl * (double) (e.getKey().startsWith(
              BranchRole.SHARED.prefix()) ? 2 * batch : batch) / (f / 1e3) / 1e9));
      byKind.merge(times.kind().get(e.getKey()), new double[] {f, b}, (x, y) -> new double[] {x[0] + y[0],
          x[1] + y[1]});
    }
    System.out.printf("total %.1f ms per pass; by kind:%n", total);
    double t = total;
    byKind.forEach((k, v) -> System.out.printf("  %-24s fwd %7.2f  bwd %7.2f  (%.0f %%)%n", k, v[0], v[1],
        100 * (v[0] + v[1]) / t));
    if (byKind.containsKey("Trunk")) {
      io.ibreid.encoders.fast.OpTimes.reset();
      io.ibreid.encoders.fast.OpTimes.enable(true);
      int n = 3;
      double[] st = trainSteps(s.model(), s.adam(), shape, 0, n, true);
      io.ibreid.encoders.fast.OpTimes.enable(false);
      double stepMs = java.util.Arrays.stream(st).sum() * 1e3 / n;
      System.out.printf("## ops inside the fused trunk (ms per training step; step %.1f ms with workspaces)%n",
          stepMs);
      double sum = 0;
      for (Map.Entry<String, long[]> e : io.ibreid.encoders.fast.OpTimes.snapshot().entrySet()) {
        double ms = e.getValue()[0] / 1e6 / n;
        sum += ms;
        System.out.printf("  %-16s %8.2f ms  (%d calls/step, %.0f %% of the step)%n", e.getKey(), ms,
            e.getValue()[1] / n, 100 * ms / stepMs);
      }
      System.out.printf("  %-16s %8.2f ms  (%.0f %% of the step)%n", "trunk ops total", sum, 100 * sum / stepMs);
      long convFlops = 0;
      for (Map.Entry<String, Long> e : s.flops().byVertex().entrySet()) {
        if (e.getKey().endsWith("/trunk")) {
          convFlops += e.getValue() * (e.getKey().startsWith(BranchRole.SHARED.prefix()) ? 2L * batch : batch);
        }
      }
      Map<String, long[]> snap = io.ibreid.encoders.fast.OpTimes.snapshot();
      if (snap.containsKey("conv2d") && snap.containsKey("conv2d_bp")) {
        System.out.printf("  conv2d %.2f GFLOP/s, conv2d_bp %.2f GFLOP/s%n",
            convFlops / (snap.get("conv2d")[0] / 1e9 / n) / 1e9,
            2.0 * convFlops / (snap.get("conv2d_bp")[0] / 1e9 / n) / 1e9);
      }
    }
    StepProfile.phases(s.model().graph(), in, batch, 2, Math.max(5, steps));
    StepProfile.opCalls(s.model().graph(), in, batch, 2);
    StepProfile.callOverhead();
  }

  static ImageShape parseShape(String s) {
    String[] p = s.toLowerCase().split("x");
    if (p.length != 3) {
      throw new CommandLine.ParameterException(new CommandLine(new BenchMain()),
          "--input must be CxHxW, e.g. 3x64x32, got " + s);
    }
    return new ImageShape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
  }

  static Object parseValue(String v) {
    if (v.matches("-?\\d+")) {
      return Integer.parseInt(v);
    }
    if (v.matches("-?\\d+([,/]-?\\d+)+")) {
      return Arrays.stream(v.split("[,/]")).mapToInt(Integer::parseInt).toArray();
    }
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    return v;
  }

  static double median(double[] t) {
    double[] c = t.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }

}
