package io.ibreid.cli;

import io.ibreid.core.IbreidException;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.run.RunDoctor;
import io.ibreid.data.DatasetCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibreid doctor}: says what is wrong with a run directory (and, with --root, a data set). Prints one line per
 * finding ({@code ok:}, {@code warn:}, {@code error:}) and exits with status 2 when any is an error, as every other
 * command does on errors; 0 otherwise.
 */
@Command(name = "doctor", description = {"Check a run directory and/or a data set root and print what is wrong.",
    "Exit status 0 when nothing is wrong, 2 when an error was found (as for every other error)."})
final class DoctorCommand implements Callable<Integer> {
  /** The exit status of a doctor that found an error: the status of every error of the command line. */
  static final int ERROR_STATUS = 2;

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

  @Option(names = "--decode", description = "Decode every image of the training, holdout and test splits (slow; "
      + "finds truncated and undecodable files, lists each one and fails when there is any).")
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
    return findings.stream().anyMatch(f -> f.level().equals("error")) ? ERROR_STATUS : 0;
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
    DatasetCheck.Report report;
    try {
      report = DatasetCheck.run(dataset, root, params, decode, 2);
    } catch (IbreidException e) {
      out.add(new RunDoctor.Finding("error", e.getMessage()));
      return out;
    }
    for (String note : report.notes()) {
      out.add(new RunDoctor.Finding("error", note));
    }
    for (String bad : report.badImages()) {
      out.add(new RunDoctor.Finding("error", bad));
    }
    int n = report.badImages().size();
    String how = report.decoded() ? "decoded" : "checked (file signatures; --decode also finds truncated files)";
    if (n == 0 && report.notes().isEmpty()) {
      out.add(new RunDoctor.Finding("ok", report.description() + "; " + report.images() + " images " + how));
    } else if (n == 0) {
      out.add(new RunDoctor.Finding("error", report.description() + "; " + report.images() + " images " + how
          + ", but the lists need fixing (above)"));
    } else {
      out.add(new RunDoctor.Finding("error", n + " of " + report.images() + " images " + (report.decoded()
          ? "cannot be decoded" : "are missing, empty or not images") + " (listed above); replace or remove them, "
          + "or set data.params.skipCorrupt: true to train and evaluate without them"));
    }
    return out;
  }
}
