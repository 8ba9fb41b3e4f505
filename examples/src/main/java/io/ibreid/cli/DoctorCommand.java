package io.ibreid.cli;

import io.ibreid.core.IbreidException;
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

  @Override
  public Integer call() {
    if (run == null) {
      throw new IbreidException("doctor needs --run RUN_DIR");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<RunDoctor.Finding> findings = RunDoctor.examine(run);
    findings.forEach(f -> out.println(f));
    out.flush();
    return findings.stream().anyMatch(f -> f.level().equals("error")) ? 1 : 0;
  }
}
