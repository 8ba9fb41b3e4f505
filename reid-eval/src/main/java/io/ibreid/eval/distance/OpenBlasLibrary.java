package io.ibreid.eval.distance;

import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Loads the OpenBLAS library and its JavaCPP binding for {@link BlasKernel}. JavaCPP's {@link Loader} finds each
 * library inside the jar, checks or unpacks its cached copy and loads it; that bookkeeping, not the libraries, costs
 * about 0.15 s of CPU in every process (the libraries themselves load in under 10 ms). When the system property
 * {@value #RECORD_PROPERTY} names a file, a process that used the Loader writes there which library files it loaded,
 * with the size and modification time of each and of the jar holding the binding classes; a later process loads
 * those files with {@link System#load} when every recorded size and time still matches and one call into the binding
 * works, and uses the Loader otherwise (a missing, stale or unreadable record is only slower; one that matches but
 * fails is deleted, to be written again by the next process). Without the property the Loader is always used.
 *
 * <p>The direct load tells JavaCPP not to load libraries itself (its {@code org.bytedeco.javacpp.loadlibraries}
 * property) while the binding classes initialise, which is process-wide: {@code bin/ibreid} sets the property only
 * for {@code eval-features}, a process that loads nothing else through JavaCPP meanwhile.
 */
public final class OpenBlasLibrary {
  /** System property: the file recording the library files (absent: always use JavaCPP's Loader). */
  public static final String RECORD_PROPERTY = "ibreid.blas.libs";
  private static final String JAVACPP_LOAD_PROPERTY = "org.bytedeco.javacpp.loadlibraries";
  private static final String HEADER = "ibreid OpenBLAS libraries v1";
  private static final String END = "end";

  private static boolean loaded;
  private static boolean direct;

  private OpenBlasLibrary() {}

  /** Loads the libraries once per process (later calls return at once); failures propagate as from the Loader. */
  public static synchronized void load() {
    if (loaded) {
      return;
    }
    String record = System.getProperty(RECORD_PROPERTY);
    Path file = record == null || record.isEmpty() ? null : Path.of(record);
    Outcome outcome = file == null ? Outcome.NO_RECORD : loadRecorded(file);
    if (outcome == Outcome.LOADED) {
      direct = true;
    } else {
      Loader.load(openblas_nolapack.class);
      if (outcome == Outcome.NO_RECORD && file != null) {
        writeRecord(file);
      } else if (outcome == Outcome.FAILED) {
        // the record matched the files but did not work: the Loader's list is incomplete in this process (the
        // binding classes were initialised without it), so drop the record and let the next process write it
        try {
          Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
          // it fails the same way next time, which only costs time
        }
      }
    }
    loaded = true;
  }

  private enum Outcome {
    /** No usable record (absent, malformed or stale): nothing was loaded, the Loader's list can be recorded. */
    NO_RECORD,
    LOADED,
    /** The recorded files matched but loading them or the probe call failed. */
    FAILED
  }

  /** True when {@link #load} loaded the recorded files directly rather than through JavaCPP's Loader. */
  public static synchronized boolean loadedDirectly() {
    return direct;
  }

  private static Outcome loadRecorded(Path file) {
    List<Path> libraries = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(file);
      if (lines.size() < 4 || !lines.get(0).equals(HEADER) || !lines.get(lines.size() - 1).equals(END)
          || !matches(lines.get(1), bindingJar())) {
        return Outcome.NO_RECORD;
      }
      for (String line : lines.subList(2, lines.size() - 1)) {
        Path lib = Path.of(line.substring(line.indexOf(' ', line.indexOf(' ') + 1) + 1));
        if (!matches(line, lib)) {
          return Outcome.NO_RECORD;
        }
        libraries.add(lib);
      }
    } catch (IOException | RuntimeException e) {
      return Outcome.NO_RECORD; // unreadable or malformed: the Loader rewrites it
    }
    String before = System.getProperty(JAVACPP_LOAD_PROPERTY);
    System.setProperty(JAVACPP_LOAD_PROPERTY, "false");
    try {
      for (Path lib : libraries) {
        System.load(lib.toString());
      }
      // Their static initialisers call Loader.load(), which must find the property set to false.
      for (Class<?> c : List.of(Pointer.class, FloatPointer.class, openblas_nolapack.class)) {
        Class.forName(c.getName(), true, c.getClassLoader());
      }
      // one call into each binding, so that a record missing a library fails here rather than at the first product
      try (FloatPointer probe = new FloatPointer(1)) {
        probe.put(0, 2f);
        return openblas_nolapack.cblas_sdot(1, probe, 1, probe, 1) == 4f ? Outcome.LOADED : Outcome.FAILED;
      }
    } catch (UnsatisfiedLinkError | ClassNotFoundException e) {
      return Outcome.FAILED;
    } finally {
      if (before == null) {
        System.clearProperty(JAVACPP_LOAD_PROPERTY);
      } else {
        System.setProperty(JAVACPP_LOAD_PROPERTY, before);
      }
    }
  }

  /** The Loader's libraries in a loadable order: plain libraries first, then JavaCPP's own binding, then OpenBLAS's. */
  private static void writeRecord(Path file) {
    try {
      Path jar = bindingJar();
      if (jar == null) {
        return;
      }
      StringBuilder text = new StringBuilder(HEADER).append('\n').append(stamp(jar)).append('\n');
      List<Map.Entry<String, String>> libs = new ArrayList<>(Loader.getLoadedLibraries().entrySet());
      libs.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> order(e.getKey()))
          .thenComparing(Map.Entry::getKey));
      for (Map.Entry<String, String> e : libs) {
        text.append(stamp(Path.of(e.getValue()))).append('\n');
      }
      text.append(END).append('\n');
      AtomicFiles.writeString(file, text.toString());
    } catch (IOException | RuntimeException e) {
      // the record only saves time; an unwritable location leaves every process on the Loader
    }
  }

  private static int order(String name) {
    if (!name.startsWith("jni")) {
      return 0;
    }
    return name.equals("jnijavacpp") ? 1 : 2;
  }

  private static Path bindingJar() {
    try {
      java.security.CodeSource source = openblas_nolapack.class.getProtectionDomain().getCodeSource();
      if (source == null || !"file".equals(source.getLocation().getProtocol())) {
        return null;
      }
      Path p = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(p) ? p : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** {@code size mtime-millis path}. */
  private static String stamp(Path p) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
    return a.size() + " " + a.lastModifiedTime().toMillis() + " " + p.toAbsolutePath();
  }

  private static boolean matches(String line, Path p) throws IOException {
    return p != null && Files.isRegularFile(p) && line.equals(stamp(p));
  }
}
