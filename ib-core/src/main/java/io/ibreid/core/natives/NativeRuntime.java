package io.ibreid.core.natives;

import io.ibreid.core.IbreidException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where ibreid chooses and loads ND4J's native library. Every entry point (the command line, the
 * example and benchmark mains, the test JVMs, and library users through {@link #load()}) calls it on its main thread
 * before it starts any other thread.
 *
 * <p>{@link #select()} reads the CPU's flags and sets JavaCPP's {@code org.bytedeco.javacpp.platform.extension} to
 * the build {@link NativeChoice#choose} picks. The property is always set, to an empty value for the plain build:
 * left unset, JavaCPP tries every platform extension whose jar it finds on the class path, oneDNN AVX-512 first,
 * and such a binary dies with SIGILL on a CPU without AVX-512. An explicit choice comes from the system property
 * {@value #PROPERTY}, else the environment variable {@value #ENVIRONMENT}, else a JavaCPP extension property the
 * user set; a choice the CPU cannot run is refused with an {@link IbreidException} naming the missing flags.
 *
 * <p>{@link #load()} also loads ND4J on the calling thread. Why the thread matters: loading a native library holds
 * the JDK's native-library lock while the library's {@code JNI_OnLoad} loads classes, and a class whose static
 * initialiser loads a JDK native library (for example {@code java.util.zip.CRC32}) waits for that same lock; two
 * threads doing one each deadlock. With every native load done here before any other thread exists, no other
 * thread can hold a class-initialisation lock the load needs, so the cycle cannot form.
 */
public final class NativeRuntime {
  /** System property for an explicit choice: {@code auto}, {@code onednn-avx512}, {@code onednn-avx2}, {@code plain}. */
  public static final String PROPERTY = "ibreid.native";
  /** Environment variable for an explicit choice (the system property wins over it). */
  public static final String ENVIRONMENT = "IBREID_NATIVE";
  /** JavaCPP's system property that this class sets. */
  public static final String JAVACPP_EXTENSION = "org.bytedeco.javacpp.platform.extension";

  /** A holder, so that {@link #select()} (on eval-features' start-up path) does not initialise the logging system. */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(NativeRuntime.class);
  }

  private static CpuInfo cpu;
  private static NativeChoice choice;
  private static String loadedFrom;

  private NativeRuntime() {}

  /**
   * Chooses the native build for this process and sets JavaCPP's property accordingly; idempotent (later calls return
   * the first choice). Loads nothing; cheap (reads {@code /proc/cpuinfo}).
   *
   * @throws IbreidException when an explicit choice cannot run on this CPU or is not on the class path
   */
  public static synchronized NativeChoice select() {
    if (choice != null) {
      return choice;
    }
    cpu = CpuInfo.read();
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      choice = new NativeChoice(NativeBuild.PLAIN, "not linux-x86_64 (" + os + ", " + arch
          + "): ibreid ships oneDNN builds for linux-x86_64 only; JavaCPP's own choice is used", false);
      return choice;
    }
    String request = System.getProperty(PROPERTY);
    String source = "-D" + PROPERTY;
    if (request == null || request.isBlank()) {
      request = System.getenv(ENVIRONMENT);
      source = ENVIRONMENT;
    }
    if ((request == null || request.isBlank()) && System.getProperty(JAVACPP_EXTENSION) != null) {
      request = System.getProperty(JAVACPP_EXTENSION);
      source = "-D" + JAVACPP_EXTENSION;
      if (request.isBlank()) {
        request = "plain";
      }
    }
    ClassLoader loader = NativeRuntime.class.getClassLoader();
    NativeChoice c = NativeChoice.choose(cpu.flags(), !cpu.flags().isEmpty(), request, source,
        b -> loader.getResource(b.jniResource()) != null);
    System.setProperty(JAVACPP_EXTENSION, c.build().extension());
    choice = c;
    return c;
  }

  /**
   * {@link #select()}, then loads ND4J's native library on the calling thread (call it on the main thread before
   * starting others) and checks which build was loaded. Idempotent.
   *
   * @throws IbreidException as {@link #select()}, and when no ND4J backend is on the class path
   */
  public static synchronized NativeChoice load() {
    NativeChoice c = select();
    if (loadedFrom == null) {
      try {
        org.nd4j.linalg.factory.Nd4j.getBackend();
      } catch (RuntimeException | ExceptionInInitializerError e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
          if (t.getClass().getSimpleName().equals("NoAvailableBackendException")) {
            throw new IbreidException("no ND4J backend on the class path: add io.ibreid:ibreid-backend-cpu (type pom) "
                + "or ibreid-backend-cuda to your dependencies (README, \"Use ibreid as a library\")", e);
          }
        }
        throw e;
      }
      org.nd4j.linalg.factory.Nd4j.scalar(0f);
      // the OpenBLAS binding reid-eval calls directly (nd4j-native links the same library): loaded here too, so
      // that no later first use loads a native library while other threads run
      org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
      loadedFrom = loadedLibrary();
      dnnl = loadDnnl(c.build());
      NativeBuild actual = buildOf(loadedFrom);
      if (actual != null && actual != c.build()) {
        // ND4J was loaded before ibreid chose (by the embedding program): say so, the process keeps what it has.
        Log.LOG.warn("ND4J's native library was loaded before ibreid chose {} ({}); this process runs {}",
            c.build().id(), c.reason(), loadedFrom);
      }
    }
    return c;
  }

  /** System property: {@code off} keeps oneDNN's own binding unloaded (the fast encoder then uses libnd4j's ops). */
  public static final String DNNL_PROPERTY = "ibreid.dnnl";
  /** Environment variable read when {@value #DNNL_PROPERTY} is not set. */
  public static final String DNNL_ENVIRONMENT = "IBREID_DNNL";

  /** What became of oneDNN's own binding: loaded (and the highest instruction set it may use), or why not. */
  public record DnnlStatus(boolean loaded, String describe) {}

  private static DnnlStatus dnnl;
  /** oneDNN's JNI library in org.bytedeco:dnnl's linux-x86_64 jar, which ibreid-backend-cpu brings. */
  static final String DNNL_JNI_RESOURCE = "org/bytedeco/dnnl/linux-x86_64/libjnidnnl.so";

  /**
   * Loads oneDNN's own binding (JavaCPP's {@code org.bytedeco.dnnl}), which the fast encoder calls directly for its
   * convolutions, after ND4J: its libgomp dependency then resolves to the OpenMP runtime ND4J already loaded, so
   * both share one thread pool. oneDNN picks its kernels from CPUID at run time; it is capped here at the
   * instruction set of the ND4J build chosen ({@code onednn-avx2}: AVX2; {@code plain}: SSE4.1), so forcing a build
   * exercises the same level in this binding (bin/ibreid also exports {@code DNNL_MAX_CPU_ISA} for a forced build,
   * which caps the oneDNN inside libnd4j as well; a value in the environment wins). A missing or failing binding is
   * not an error: the encoder falls back to libnd4j's ops.
   */
  private static DnnlStatus loadDnnl(NativeBuild build) {
    String off = System.getProperty(DNNL_PROPERTY, System.getenv(DNNL_ENVIRONMENT));
    if (off != null && off.trim().equalsIgnoreCase("off")) {
      return new DnnlStatus(false, "off (" + DNNL_PROPERTY + "/" + DNNL_ENVIRONMENT + "); libnd4j's ops are used");
    }
    if (NativeRuntime.class.getClassLoader().getResource(DNNL_JNI_RESOURCE) == null) {
      // the CUDA backend and other platforms: nothing to warn about
      return new DnnlStatus(false, "not on the class path (" + DNNL_JNI_RESOURCE + "); libnd4j's ops are used");
    }
    try {
      org.bytedeco.javacpp.Loader.load(org.bytedeco.dnnl.global.dnnl.class);
      String cap = "";
      String envCap = System.getenv("DNNL_MAX_CPU_ISA");
      if (envCap != null && !envCap.isBlank()) {
        // oneDNN reads it itself (bin/ibreid sets it when a build is forced, so libnd4j's own copy is capped too)
        cap = ", capped at " + envCap + " by DNNL_MAX_CPU_ISA";
      } else if (build == NativeBuild.ONEDNN_AVX2 || build == NativeBuild.PLAIN) {
        int isa = build == NativeBuild.ONEDNN_AVX2 ? org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx2
            : org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_sse41;
        int status = org.bytedeco.dnnl.global.dnnl.dnnl_set_max_cpu_isa(isa);
        cap = status == org.bytedeco.dnnl.global.dnnl.dnnl_success
            ? ", capped at " + (build == NativeBuild.ONEDNN_AVX2 ? "AVX2" : "SSE4.1") + " like the ND4J build"
            : ", cap refused (status " + status + ")";
      }
      org.bytedeco.dnnl.dnnl_version_t v = org.bytedeco.dnnl.global.dnnl.dnnl_version();
      return new DnnlStatus(true, "oneDNN " + v.major() + "." + v.minor() + "." + v.patch() + " loaded (the fast "
          + "encoder's convolutions and batch norm)" + cap);
    } catch (RuntimeException | LinkageError e) {
      Log.LOG.warn("oneDNN's binding did not load ({}); the fast encoder uses libnd4j's ops", e.toString());
      return new DnnlStatus(false, "not loaded (" + e + "); libnd4j's ops are used");
    }
  }

  private static volatile boolean directKernels = true;

  /**
   * Whether models built from now on may call oneDNN directly (default yes, when its binding is loaded): the fast
   * encoder's kernels then come from oneDNN, otherwise from libnd4j's ops, whose float rounding earlier results were
   * computed with. A trunk reads this once, when it is built, and keeps its kernels. The ablation pins this to what its
   * plan records.
   */
  public static void allowDirectKernels(boolean allowed) {
    directKernels = allowed;
  }

  /** What {@link #allowDirectKernels} was last given (true by default). */
  public static boolean directKernelsAllowed() {
    return directKernels;
  }

  /** Whether oneDNN's own binding is loaded and may be called ({@link #load()}s first). */
  public static synchronized boolean dnnlLoaded() {
    return dnnlStatus().loaded();
  }

  /** What became of oneDNN's own binding ({@link #load()}s first). */
  public static synchronized DnnlStatus dnnlStatus() {
    load();
    return dnnl;
  }

  /** System property: the BLAS library's threads while a training loop runs (a positive number, or "keep"). */
  public static final String TRAINING_BLAS_THREADS_PROPERTY = "ibreid.training.blasThreads";
  /** Environment variable read when the property is not set. */
  public static final String TRAINING_BLAS_THREADS_ENVIRONMENT = "IBREID_TRAINING_BLAS_THREADS";

  /**
   * Sets the BLAS library's threads for a training loop and keeps OpenMP's (oneDNN's convolutions, libnd4j) as they
   * were; {@link TrainingThreads#close()} restores the BLAS count, so evaluation in the same process keeps its
   * multi-threaded products. Default 1: a training step's products are small (32×512 by 512×512), and a second BLAS
   * pool competing with libnd4j's and OpenMP's for the cores cost more than it gave (the demo's training on 2 cores:
   * 155 img/s with 1 BLAS thread against 115–130 with 2; benchmarks/README.md, issue 18 part 2). Loads the natives
   * ({@link #load()}) on the calling thread.
   *
   * @throws IbreidException when the property or environment variable is neither a positive number nor "keep"
   */
  public static synchronized TrainingThreads trainingThreads() {
    load();
    String[] setting = trainingBlasSetting();
    String raw = setting[0];
    String source = setting[1];
    org.nd4j.linalg.api.blas.Blas blas = org.nd4j.linalg.factory.Nd4j.factory().blas();
    org.nd4j.nativeblas.NativeOps ops = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps();
    int previous = blas.getMaxThreads();
    int omp = ops.ompGetMaxThreads();
    int wanted;
    if (raw == null || raw.isBlank()) {
      wanted = 1;
    } else if (raw.trim().equals("keep")) {
      wanted = previous;
    } else {
      try {
        wanted = Integer.parseInt(raw.trim());
      } catch (NumberFormatException e) {
        wanted = 0;
      }
      if (wanted < 1) {
        throw new IbreidException(source + "=" + raw + ": expected a positive number of BLAS threads or \"keep\"");
      }
    }
    if (wanted != previous) {
      setBlasThreads(wanted, omp);
    }
    return new TrainingThreads(wanted, previous, omp);
  }

  /** The training BLAS-thread setting as given ({@code null} when unset) and where it came from. */
  private static String[] trainingBlasSetting() {
    String raw = System.getProperty(TRAINING_BLAS_THREADS_PROPERTY);
    if (raw != null) {
      return new String[] {raw, "-D" + TRAINING_BLAS_THREADS_PROPERTY};
    }
    return new String[] {System.getenv(TRAINING_BLAS_THREADS_ENVIRONMENT), TRAINING_BLAS_THREADS_ENVIRONMENT};
  }

  /** Sets the BLAS library's threads, then OpenMP's back to {@code omp}: an OpenMP build of OpenBLAS sets both. */
  private static void setBlasThreads(int blas, int omp) {
    org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(blas);
    org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(omp);
  }

  /** The BLAS threads a training loop runs with, and what {@link #close()} restores. */
  public record TrainingThreads(int blas, int previousBlas, int omp) implements AutoCloseable {
    @Override
    public void close() {
      if (blas != previousBlas) {
        setBlasThreads(previousBlas, omp);
      }
    }

    /** For logs: "BLAS 1 thread(s) while training (ibreid.training.blasThreads), OpenMP 2". */
    public String describe() {
      return "BLAS " + blas + " thread(s) while training (" + TRAINING_BLAS_THREADS_PROPERTY + "), OpenMP " + omp;
    }
  }

  /** The CPU {@link #select()} read (selecting first if needed). */
  public static synchronized CpuInfo cpu() {
    select();
    return cpu;
  }

  /** Where ND4J's JNI library was loaded from, or null before {@link #load()}. */
  public static synchronized String loadedFrom() {
    return loadedFrom;
  }

  /** The build a loaded library path belongs to, or null when it is none of ibreid's. */
  static NativeBuild buildOf(String path) {
    if (path == null) {
      return null;
    }
    for (NativeBuild b : NativeBuild.values()) {
      if (path.contains("/linux-x86_64" + b.extension() + "/")) {
        return b;
      }
    }
    return null;
  }

  private static String loadedLibrary() {
    for (Map.Entry<String, String> e : org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet()) {
      if (e.getKey().contains("jnind4jcpu") || (e.getValue() != null && e.getValue().contains("libjnind4jcpu"))) {
        return e.getValue();
      }
    }
    return "(not found among JavaCPP's loaded libraries)";
  }

  /**
   * What was seen and chosen, one fact per line: CPU, flags, the build and why, where it was loaded from, the
   * OpenBLAS kernel, threads and heap. Loads ND4J (through {@link #load()}) to report what it runs with.
   */
  public static List<String> report() {
    NativeChoice c = load();
    List<String> lines = new ArrayList<>();
    lines.add("cpu: " + cpu.describe() + " [" + cpu.source() + "]");
    lines.add("native build: " + c.build().id() + " (" + c.reason() + ")");
    lines.add("loaded from: " + loadedFrom);
    lines.add("openblas kernels: " + openBlasCore());
    lines.add("onednn (direct): " + dnnl.describe());
    Properties env = org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation();
    lines.add("threads: " + Runtime.getRuntime().availableProcessors() + " processors; ND4J omp.threads="
        + env.getOrDefault("omp.threads", "?") + ", OMP_NUM_THREADS="
        + (System.getenv("OMP_NUM_THREADS") == null ? "unset" : System.getenv("OMP_NUM_THREADS")));
    String blas = trainingBlasSetting()[0];
    lines.add("BLAS threads: " + org.nd4j.linalg.factory.Nd4j.factory().blas().getMaxThreads() + "; while training "
        + (blas == null || blas.isBlank() ? "1 (default; " + TRAINING_BLAS_THREADS_PROPERTY + " or "
        + TRAINING_BLAS_THREADS_ENVIRONMENT + " changes it)" : blas.trim()));
    lines.add(String.format(Locale.ROOT, "heap: max %.2f GiB", Runtime.getRuntime().maxMemory() / 1073741824.0));
    lines.add("javacpp: " + JAVACPP_EXTENSION + "=\"" + System.getProperty(JAVACPP_EXTENSION, "") + "\", cache "
        + System.getProperty("org.bytedeco.javacpp.cachedir", System.getProperty("user.home") + "/.javacpp/cache"));
    return lines;
  }

  /** What decides OpenBLAS's kernels: ibreid cannot ask OpenBLAS 0.3.19's binding, so it says who chose. */
  private static String openBlasCore() {
    String coretype = System.getenv("OPENBLAS_CORETYPE");
    if (coretype != null && !coretype.isBlank()) {
      return coretype + " (forced by OPENBLAS_CORETYPE)";
    }
    return "chosen by OpenBLAS 0.3.19 from CPUID (OPENBLAS_CORETYPE unset; on AMD CPUs with AVX-512 this version "
        + "falls back to its SSE kernels, which is why bin/ibreid sets SkylakeX there)";
  }
}
