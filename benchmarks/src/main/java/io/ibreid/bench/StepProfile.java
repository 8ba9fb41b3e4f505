package io.ibreid.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * The whole training step (with workspaces, as {@code Trainer.step} runs it) split into its phases — forward pass
 * (including the copies of the outputs), backward pass, updater (L2 + Adam), parameter subtraction — plus the number
 * of native op calls a step makes (ND4J's {@link OpProfiler}) and the fixed cost of one op call, so that per-call
 * overhead can be told apart from work. Used by {@code --profile}.
 */
final class StepProfile {
  private StepProfile() {}

  /** Median ms per phase over {@code n} steps after {@code warm} untimed ones. */
  static void phases(ComputationGraph graph, INDArray[] in, int batch, int warm, int n) {
    INDArray[][] errors = {null};
    double[][] t = new double[4][n];
    for (int i = 0; i < warm + n; i++) {
      long[] mark = new long[2];
      long t0 = System.nanoTime();
      Gradient g = ((io.ibreid.core.branch.ModelGraph) graph).forwardBackward(in, outs -> {
        mark[0] = System.nanoTime();
        if (errors[0] == null) {
          errors[0] = new INDArray[outs.length];
          for (int k = 0; k < outs.length; k++) {
            errors[0][k] = Nd4j.randn(outs[k].dataType(), outs[k].shape()).muli(1e-3 / batch);
          }
        }
        mark[1] = System.nanoTime();
        return errors[0];
      });
      long t1 = System.nanoTime();
      graph.getUpdater().update(g, i, 0, batch, LayerWorkspaceMgr.noWorkspaces());
      long t2 = System.nanoTime();
      graph.params().subi(g.gradient());
      long t3 = System.nanoTime();
      if (i >= warm) {
        t[0][i - warm] = (mark[0] - t0) / 1e6;
        t[1][i - warm] = (t1 - mark[1]) / 1e6;
        t[2][i - warm] = (t2 - t1) / 1e6;
        t[3][i - warm] = (t3 - t2) / 1e6;
      }
    }
    String[] names = {"forward (+ output copies)", "backward", "updater (L2 + Adam)", "params.subi(update)"};
    double sum = 0;
    double[] med = new double[4];
    for (int p = 0; p < 4; p++) {
      med[p] = BenchMain.median(t[p]);
      sum += med[p];
    }
    System.out.printf("## phases of the training step (workspaces on; median of %d steps, ms)%n", n);
    for (int p = 0; p < 4; p++) {
      double[] s = t[p].clone();
      Arrays.sort(s);
      System.out.printf("  %-28s %8.2f ms  (%.0f %%; range %.1f-%.1f)%n", names[p], med[p], 100 * med[p] / sum, s[0],
          s[s.length - 1]);
    }
    System.out.printf("  %-28s %8.2f ms%n", "sum of medians", sum);
  }

  /** Native op calls per step, by op, counted by ND4J's OpProfiler over {@code n} steps. */
  static void opCalls(ComputationGraph graph, INDArray[] in, int batch, int n) {
    OpProfiler.getInstance().reset();
    Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
    Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
    try {
      phasesQuiet(graph, in, batch, n);
    } finally {
      Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
      Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
    }
    OpProfiler p = OpProfiler.getInstance();
    System.out.printf("## native op calls (ND4J OpProfiler, %d steps): %.0f per step%n", n,
        p.getInvocationsCount() / (double) n);
    System.out.println("### calls by op (totals over the steps)");
    System.out.println(p.getOpCounter().asString());
    System.out.println("### time by op class (totals over the steps)");
    System.out.println(p.getClassAggergator().asString());
    OpProfiler.getInstance().reset();
  }

  private static void phasesQuiet(ComputationGraph graph, INDArray[] in, int batch, int n) {
    INDArray[][] errors = {null};
    for (int i = 0; i < n; i++) {
      Gradient g = ((io.ibreid.core.branch.ModelGraph) graph).forwardBackward(in, outs -> {
        if (errors[0] == null) {
          errors[0] = new INDArray[outs.length];
          for (int k = 0; k < outs.length; k++) {
            errors[0][k] = Nd4j.randn(outs[k].dataType(), outs[k].shape()).muli(1e-3 / batch);
          }
        }
        return errors[0];
      });
      graph.getUpdater().update(g, i, 0, batch, LayerWorkspaceMgr.noWorkspaces());
      graph.params().subi(g.gradient());
    }
  }

  /** Fixed cost of a native call: µs per tiny legacy op, per tiny custom op, per small array allocation. */
  static void callOverhead() {
    INDArray a = Nd4j.rand(DataType.FLOAT, 16);
    INDArray b = Nd4j.rand(DataType.FLOAT, 16);
    INDArray c = Nd4j.create(DataType.FLOAT, 16);
    int reps = 20000;
    List<String> out = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        Nd4j.exec(new AddOp(a, b, c));
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(a, b).addOutputs(c).addFloatingPointArguments(0.0)
            .build());
      }
      long t2 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        Nd4j.create(DataType.FLOAT, 32, 512);
      }
      long t3 = System.nanoTime();
      if (pass == 1) {
        out.add(String.format("legacy op (AddOp, 16 floats) %.1f us", (t1 - t0) / 1e3 / reps));
        out.add(String.format("custom op (relu_bp, 16 floats) %.1f us", (t2 - t1) / 1e3 / reps));
        out.add(String.format("Nd4j.create(FLOAT, 32, 512) %.1f us", (t3 - t2) / 1e3 / reps));
      }
    }
    System.out.println("## fixed cost per native call (no work): " + String.join("; ", out));
    // The bottleneck's and heads' products alone, at the batch the step uses: X(32x512)*W(512x512), and the
    // weight gradient X^T(512x32)*dY(32x512), into preallocated outputs.
    INDArray x = Nd4j.rand(DataType.FLOAT, 32, 512);
    INDArray w = Nd4j.rand(DataType.FLOAT, 512, 512);
    INDArray y = Nd4j.create(DataType.FLOAT, 32, 512);
    INDArray dw = Nd4j.create(DataType.FLOAT, 512, 512);
    int m = 200;
    double[] gf = new double[2];
    for (int pass = 0; pass < 2; pass++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < m; i++) {
        x.mmuli(w, y);
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < m; i++) {
        x.transpose().mmuli(y, dw);
      }
      long t2 = System.nanoTime();
      gf[0] = 2.0 * 32 * 512 * 512 * m / (t1 - t0);
      gf[1] = 2.0 * 32 * 512 * 512 * m / (t2 - t1);
    }
    System.out.printf("## a dense layer's products alone (32x512 by 512x512): forward %.1f GFLOP/s (%.3f ms), weight "
        + "gradient %.1f GFLOP/s (%.3f ms)%n", gf[0], 2.0 * 32 * 512 * 512 / gf[0] / 1e6, gf[1],
        2.0 * 32 * 512 * 512 / gf[1] / 1e6);
  }
}
