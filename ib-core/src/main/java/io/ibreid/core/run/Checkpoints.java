package io.ibreid.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.objective.Objective;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of a run: folders {@code checkpoints/iter-NNNNNNNN/} holding the model zip (parameters + Adam state,
 * readable by plain DL4J), the loss terms' state and {@code state.json}, sealed by {@code manifest.json} with a
 * SHA-256 per file. A checkpoint is built in a hidden temporary folder, fsynced and renamed into place, then the
 * {@code last} pointer is replaced atomically; the oldest periodic checkpoints beyond {@code keep} are removed.
 * A folder whose manifest is missing or whose files do not match it is ignored with a warning. The best checkpoint on
 * the validation split is kept apart in {@code checkpoints/best} ({@link #keepIfBest}); {@link #chosen} is the one that
 * stands for the run.
 */
public final class Checkpoints {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  public static final String MODEL = "model.zip";
  static final String TERMS = "terms.zip";
  static final String STATE = "state.json";
  static final String MANIFEST = "manifest.json";

  private final Path dir;
  private final int keep;

  public Checkpoints(Path dir, int keep) {
    this.dir = dir;
    this.keep = keep;
  }

  public Path directory() {
    return dir;
  }

  /** Writes a checkpoint for {@code state}; returns its folder. The previous checkpoints stay intact on failure. */
  public Path save(TrainingState state, ReidModel model, Objective objective, Map<String, Object> extra) {
    String name = String.format("iter-%08d", state.iteration());
    Path target = dir.resolve(name);
    Path tmp = dir.resolve("." + name + ".tmp");
    try {
      AtomicFiles.createDirectories(dir);
      AtomicFiles.deleteTree(tmp);
      AtomicFiles.createDirectories(tmp);
      model.save(tmp.resolve(MODEL));
      writeTerms(tmp.resolve(TERMS), objective);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("epoch", state.epoch());
      json.put("batch", state.batch());
      json.put("iteration", state.iteration());
      json.putAll(extra);
      Files.write(tmp.resolve(STATE), JSON.writeValueAsBytes(json));
      Map<String, String> manifest = new TreeMap<>();
      for (String f : List.of(MODEL, TERMS, STATE)) {
        AtomicFiles.sync(tmp.resolve(f));
        manifest.put(f, sha256(tmp.resolve(f)));
      }
      Files.write(tmp.resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
      AtomicFiles.sync(tmp.resolve(MANIFEST));
      AtomicFiles.syncDirectory(tmp);
      if (Files.exists(target)) {
        AtomicFiles.deleteTree(target);
      }
      AtomicFiles.move(tmp, target);
      AtomicFiles.writeString(dir.resolve("last"), name + "\n");
    } catch (IOException | RuntimeException e) {
      try {
        AtomicFiles.deleteTree(tmp);
      } catch (IOException ignored) {
        // best effort
      }
      // an I/O failure in words naming the path, never this method's temporary folder (AtomicFiles.reason)
      String reason = e instanceof IOException io ? AtomicFiles.reason(io)
          : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IbreidException("cannot write checkpoint " + target + ": " + reason
          + latestValid().map(p -> "; the previous checkpoint " + p + " is intact").orElse(""), e);
    }
    prune();
    return target;
  }

  private void prune() {
    List<Path> all = list();
    for (int i = 0; i < all.size() - keep; i++) {
      try {
        AtomicFiles.deleteTree(all.get(i));
      } catch (IOException e) {
        LOG.warn("could not remove old checkpoint {}: {}", all.get(i), e.getMessage());
      }
    }
  }

  /** Periodic checkpoint folders, oldest first. */
  public List<Path> list() {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (var s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().matches("iter-\\d{8}") && Files.isDirectory(p)).sorted()
          .forEach(out::add);
    } catch (IOException e) {
      throw new IbreidException("cannot list checkpoints in " + dir + ": " + e.getMessage());
    }
    return out;
  }

  /** The newest checkpoint whose files match its manifest; invalid newer ones are reported and skipped. */
  public Optional<Path> latestValid() {
    List<Path> all = list();
    for (int i = all.size() - 1; i >= 0; i--) {
      Optional<String> problem = verify(all.get(i));
      if (problem.isEmpty()) {
        return Optional.of(all.get(i));
      }
      LOG.warn("ignoring checkpoint {}: {}", all.get(i), problem.get());
    }
    return Optional.empty();
  }

  /** Why a checkpoint folder is unusable, or empty when it is sound. */
  public static Optional<String> verify(Path ckpt) {
    Path manifestFile = ckpt.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      return Optional.of("no " + MANIFEST + " (incomplete write)");
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, String> manifest = JSON.readValue(manifestFile.toFile(), Map.class);
      for (String f : List.of(MODEL, TERMS, STATE)) {
        Path p = ckpt.resolve(f);
        if (!Files.isRegularFile(p)) {
          return Optional.of(f + " is missing");
        }
        if (!sha256(p).equals(manifest.get(f))) {
          return Optional.of(f + " does not match its checksum (truncated or corrupt)");
        }
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of(MANIFEST + " cannot be read: " + e.getMessage());
    }
  }

  /**
   * Restores the model's parameters and the loss terms' state; returns the saved state and extras. The optimiser's
   * moments are in the same model zip ({@link #modelFile}); the trainer restores them.
   */
  public static Map<String, Object> restore(Path ckpt, ReidModel model, Objective objective) {
    Map<String, Object> state = readState(ckpt);
    try {
      model.load(ckpt.resolve(MODEL));
      readTerms(ckpt.resolve(TERMS), objective);
      return state;
    } catch (IOException e) {
      throw new IbreidException("checkpoint " + ckpt + " cannot be read: " + e.getMessage());
    }
  }

  /** The model zip of a checkpoint folder: parameters and optimiser state, readable by plain DL4J. */
  public static Path modelFile(Path ckpt) {
    return ckpt.resolve(MODEL);
  }

  /** The {@code state.json} of a sound checkpoint. */
  public static Map<String, Object> readState(Path ckpt) {
    Optional<String> problem = verify(ckpt);
    if (problem.isPresent()) {
      throw new IbreidException("checkpoint " + ckpt + " is unusable: " + problem.get());
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> state = JSON.readValue(ckpt.resolve(STATE).toFile(), Map.class);
      return state;
    } catch (IOException e) {
      throw new IbreidException("checkpoint " + ckpt + " cannot be read: " + e.getMessage());
    }
  }

  /**
   * Makes {@code checkpoint} the best one when its validation {@code score} (higher is better) beats the score
   * {@code best.json} records (any score beats none): copies it to {@code checkpoints/best} through {@link #saveBest}
   * with {@code why}, which must hold the score. Returns whether it did.
   */
  public boolean keepIfBest(Path checkpoint, double score, Map<String, Object> why) {
    double best = best().map(b -> ((Number) b.get("score")).doubleValue()).orElse(Double.NEGATIVE_INFINITY);
    if (!(score > best)) {
      return false;
    }
    saveBest(checkpoint, why);
    return true;
  }

  /**
   * The checkpoint that stands for the run (what evaluation and embedding open by default): {@code checkpoints/best}
   * when validation chose one, otherwise the newest periodic checkpoint ({@link #resolve resolve("best")}); empty when
   * there is none.
   *
   * @throws IbreidException when that checkpoint is damaged: another one is never quietly used in its place
   */
  public Optional<Path> chosen() {
    if (!hasBest() && list().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(resolve("best"));
  }

  /**
   * The checkpoint {@code which} names, checked against its manifest: {@code best} (the best one on the validation
   * split; a run without validation has none and stands for its newest periodic checkpoint), {@code last} (the one
   * {@code checkpoints/last} names, else the newest periodic one) or a checkpoint folder name such as
   * {@code iter-00000040}.
   *
   * @throws IbreidException one line naming the checkpoint, what is wrong with it and, when there is one, a sound
   *     checkpoint to name instead: a damaged checkpoint is never replaced by another without the user asking
   */
  public Path resolve(String which) {
    Path ckpt;
    String asked;
    if ("best".equals(which) && hasBest()) {
      ckpt = dir.resolve("best");
      asked = "the best checkpoint " + ckpt;
    } else if ("best".equals(which) || "last".equals(which)) {
      ckpt = newest();
      if (ckpt == null) {
        throw new IbreidException("run directory " + dir.getParent() + " has no valid checkpoint");
      }
      asked = ("best".equals(which) ? "the run has no best checkpoint (no validation split) and its last one, " : "the "
          + "last checkpoint ") + ckpt;
    } else {
      if (which == null || which.isBlank() || which.contains("/") || which.contains("\\") || which.startsWith(".")) {
        throw new IbreidException("checkpoint [" + which + "] is not a checkpoint name; expected best, last or a "
            + "folder name of " + dir + " such as iter-00000040");
      }
      ckpt = dir.resolve(which);
      if (!Files.isDirectory(ckpt)) {
        throw new IbreidException("checkpoint " + ckpt + " does not exist; expected best, last or one of "
            + list().stream().map(p -> p.getFileName().toString()).toList());
      }
      asked = "checkpoint " + ckpt;
    }
    Optional<String> problem = verify(ckpt);
    if (problem.isPresent()) {
      Optional<Path> other = latestValid().filter(p -> !p.equals(ckpt));
      throw new IbreidException(asked + " is unusable: " + problem.get()
          + other.map(p -> "; name another with --checkpoint " + p.getFileName()).orElse(""));
    }
    return ckpt;
  }

  /** Whether validation chose a best checkpoint ({@code best/} or its record {@code best.json} exists). */
  private boolean hasBest() {
    return Files.exists(dir.resolve("best")) || Files.exists(dir.resolve("best.json"));
  }

  /** The checkpoint {@code checkpoints/last} names (which may be missing), else the newest periodic one, or null. */
  private Path newest() {
    Path pointer = dir.resolve("last");
    if (Files.isRegularFile(pointer)) {
      try {
        String name = Files.readString(pointer, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (name.matches("iter-\\d{8}")) {
          return dir.resolve(name);
        }
      } catch (IOException e) {
        throw new IbreidException("cannot read " + pointer + ": " + AtomicFiles.reason(e));
      }
    }
    List<Path> all = list();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /**
   * Repairs what an interrupted checkpoint write left, for the process that holds the run's lock: a {@code best}
   * folder moved to {@code .best.old} but not yet replaced is moved back; the temporary folders of checkpoints and of
   * the best checkpoint ({@code .iter-NNNNNNNN.tmp}, {@code .best.tmp}, {@code .best.old}) and stale temporary files
   * are removed.
   */
  public void recover() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try {
      Path best = dir.resolve("best");
      Path old = dir.resolve(".best.old");
      if (!Files.exists(best) && Files.isDirectory(old)) {
        AtomicFiles.move(old, best);
      }
      try (var s = Files.list(dir)) {
        for (Path p : s.toList()) {
          String n = p.getFileName().toString();
          if (n.matches("\\.iter-\\d{8}\\.tmp") || n.equals(".best.tmp") || n.equals(".best.old")) {
            AtomicFiles.deleteTree(p);
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("could not clean up {}: {}", dir, e.getMessage());
    }
    AtomicFiles.removeStaleTemporaries(dir, null);
  }

  /**
   * Copies a sound checkpoint to {@code checkpoints/best} (through a temporary folder and an atomic rename) and
   * records why in {@code best.json}.
   */
  public void saveBest(Path checkpoint, Map<String, Object> why) {
    Path best = dir.resolve("best");
    Path tmp = dir.resolve(".best.tmp");
    try {
      AtomicFiles.deleteTree(tmp);
      Files.createDirectories(tmp);
      for (String f : List.of(MODEL, TERMS, STATE, MANIFEST)) {
        Files.copy(checkpoint.resolve(f), tmp.resolve(f));
        AtomicFiles.sync(tmp.resolve(f));
      }
      Path old = dir.resolve(".best.old");
      AtomicFiles.deleteTree(old);
      if (Files.exists(best)) {
        Files.move(best, old);
      }
      AtomicFiles.move(tmp, best);
      AtomicFiles.deleteTree(old);
      AtomicFiles.write(dir.resolve("best.json"), JSON.writeValueAsBytes(why));
    } catch (IOException e) {
      throw new IbreidException("cannot write the best checkpoint " + best + ": " + e.getMessage(), e);
    }
  }

  /** What {@link #saveBest} recorded, or empty. */
  public Optional<Map<String, Object>> best() {
    Path f = dir.resolve("best.json");
    if (!Files.isRegularFile(f) || verify(dir.resolve("best")).isPresent()) {
      return Optional.empty();
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = JSON.readValue(f.toFile(), Map.class);
      return Optional.of(m);
    } catch (IOException e) {
      LOG.warn("ignoring {}: {}", f, e.getMessage());
      return Optional.empty();
    }
  }

  public static TrainingState stateOf(Map<String, Object> json) {
    return new TrainingState(((Number) json.get("epoch")).intValue(), ((Number) json.get("batch")).intValue(),
        ((Number) json.get("iteration")).longValue());
  }

  private static void writeTerms(Path file, Objective objective) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Objective.BoundTerm t : objective.terms()) {
        for (Map.Entry<String, INDArray> e : t.term().state().entrySet()) {
          zip.putNextEntry(new ZipEntry(t.label() + "/" + e.getKey()));
          DataOutputStream out = new DataOutputStream(zip);
          Nd4j.write(e.getValue(), out);
          out.flush();
          zip.closeEntry();
        }
      }
    }
  }

  private static void readTerms(Path file, Objective objective) throws IOException {
    Map<String, Map<String, INDArray>> byTerm = new LinkedHashMap<>();
    try (InputStream is = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(is)) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        String n = e.getName();
        int slash = n.indexOf('/');
        INDArray arr = Nd4j.read(new DataInputStream(zip));
        byTerm.computeIfAbsent(n.substring(0, slash), k -> new LinkedHashMap<>()).put(n.substring(slash + 1), arr);
      }
    }
    for (Objective.BoundTerm t : objective.terms()) {
      Map<String, INDArray> s = byTerm.get(t.label());
      if (s != null) {
        t.term().loadState(s);
      } else if (!t.term().state().isEmpty()) {
        throw new IbreidException("checkpoint " + file + " has no state for loss term [" + t.label() + "]");
      }
    }
  }

  static String sha256(Path p) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(p)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
