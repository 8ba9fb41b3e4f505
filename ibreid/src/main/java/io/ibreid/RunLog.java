package io.ibreid;

import io.ibreid.core.IbreidException;
import io.ibreid.core.train.TrainerListener;
import java.io.IOException;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends the trainer's narrative ({@link TrainerListener#onLog}) to a run's {@code train.log}, one timestamped line
 * each, flushed at once, whatever SLF4J binding (if any) the program uses. Lines that arrive before the run directory
 * exists (the data set's: generating the lab takes a while) are kept, with the time they arrived, and written first
 * once it does; the trainer creates the directory before its first line. A resumed run appends to the same file.
 */
final class RunLog implements TrainerListener, AutoCloseable {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private final Path file;
  private final List<String> early = new ArrayList<>();
  private Writer out;

  RunLog(Path file) {
    this.file = file;
  }

  @Override
  public void onLog(Level level, String message) {
    write(level == Level.WARNING ? "WARN " : level == Level.ERROR ? "ERROR" : "INFO ", message);
  }

  /** Records why training stopped (only when the file was already started: a run that never began has no log). */
  void failed(String message) {
    if (out != null) {
      write("ERROR", message);
    }
  }

  private void write(String level, String message) {
    String line = LocalDateTime.now().format(TIME) + " " + level + " " + message + System.lineSeparator();
    if (out == null && !Files.isDirectory(file.getParent())) {
      early.add(line);
      return;
    }
    try {
      if (out == null) {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        for (String e : early) {
          out.write(e);
        }
        early.clear();
      }
      out.write(line);
      out.flush();
    } catch (IOException e) {
      throw new IbreidException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    early.clear();
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        throw new IbreidException("cannot close " + file + ": " + e.getMessage(), e);
      } finally {
        out = null;
      }
    }
  }
}
