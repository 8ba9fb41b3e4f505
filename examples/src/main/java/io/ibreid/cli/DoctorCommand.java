package io.ibreid.cli;

import io.ibreid.core.IbreidException;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.train.RunDoctor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ibreid doctor}: says what is wrong with a run directory (and, with --root, a data set). */
@Command(name = "doctor", description = "Check a run directory and/or a data set root and print what is wrong.")
final class DoctorCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--run", paramLabel = "RUN_DIR", description = "Run directory to examine.")
  Path run;

  @Option(names = "--dataset", paramLabel = "TYPE", description = "Data set type to check at --root: sysu, regdb, "
      + "synthetic-sysu, synthetic-regdb.")
  String dataset;

  @Option(names = "--root", paramLabel = "DIR", description = "Data set root to check.")
  Path root;

  @Option(names = "--trial", description = "RegDB trial (default 1).")
  int trial = 1;

  @Option(names = "--system", description = "Print what this machine is and what ibreid chose for it: CPU and flags, "
      + "native build loaded and why, OpenBLAS kernels, threads, heap.")
  boolean system;

  @Option(names = "--decode", description = "Also decode every image (slow; finds corrupt files).")
  boolean decode;

  @Override
  public Integer call() {
    if (run == null && root == null && !system) {
      throw new IbreidException("doctor needs --system, --run RUN_DIR and/or --dataset TYPE --root DIR");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (system) {
      NativeRuntime.report().forEach(out::println);
    }
    List<RunDoctor.Finding> findings = new java.util.ArrayList<>();
    if (run != null) {
      findings.addAll(RunDoctor.examine(run));
    }
    if (root != null) {
      findings.addAll(examineDataset());
    }
    findings.forEach(f -> out.println(f));
    out.flush();
    return findings.stream().anyMatch(f -> f.level().equals("error")) ? 1 : 0;
  }

  private List<RunDoctor.Finding> examineDataset() {
    List<RunDoctor.Finding> out = new java.util.ArrayList<>();
    if (dataset == null) {
      throw new IbreidException("doctor --root needs --dataset TYPE (sysu, regdb, synthetic-sysu, synthetic-regdb)");
    }
    if (dataset.startsWith("synthetic") && !java.nio.file.Files.isDirectory(root)) {
      out.add(new RunDoctor.Finding("error", "data set root " + root + " does not exist (doctor does not generate "
          + "data; bin/ibreid synth does)"));
      return out;
    }
    java.util.Map<String, Object> params = new java.util.LinkedHashMap<>();
    if (dataset.endsWith("regdb")) {
      params.put("trial", trial);
    }
    params.put("skipCorrupt", decode);
    try {
      io.ibreid.data.CrossModalSource source = io.ibreid.data.DataSources.open(dataset, root, params, 2);
      out.add(new RunDoctor.Finding("ok", source.describe()));
    } catch (IbreidException e) {
      out.add(new RunDoctor.Finding("error", e.getMessage()));
    }
    return out;
  }
}
