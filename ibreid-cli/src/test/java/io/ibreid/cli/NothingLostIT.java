package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.features.MetadataCsv;
import io.ibreid.eval.features.Npy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 29, "nothing lost, nothing silent", as a user meets it: every case runs {@code bin/ibreid} as a child process.
 * A run directory is locked and belongs to one run; a damaged checkpoint is an error where it was asked for; sizes
 * are checked before they are trusted; every failure is one line naming the user's file, exit status 2, and leaves
 * nothing behind; a kill leaves nothing the next command does not clean; extract writes what eval-features reads.
 * The disk-full and read-only cases mount a small tmpfs, which needs root; where mounting is not permitted they are
 * skipped (the manual check is in docs: fill a small file system, run the commands, read the one line).
 */
class NothingLostIT {
  static final long LIMIT = 300;
  static final Map<String, String> HEAP = Map.of("IBREID_JAVA_OPTS", "-Xmx1g");

  @TempDir
  static Path dir;
  static TinyRun tiny;
  static Path config;

  @BeforeAll
  static void trainOnce() throws Exception {
    tiny = TinyRun.train(dir, "nothing-lost", 2, 8);
    config = dir.resolve("c.yaml");
  }

  static Launcher.Run ibreid(String... args) throws Exception {
    return Launcher.run(dir, HEAP, LIMIT, args);
  }

  /** Exit 2, one line on stderr starting {@code ibreid: } and holding every fragment. */
  static void oneLine(Launcher.Run r, String... fragments) {
    assertThat(r.status()).as(r.describe()).isEqualTo(2);
    assertThat(r.err().strip().lines().count()).as(r.describe()).isEqualTo(1);
    assertThat(r.err()).as(r.describe()).startsWith("ibreid: ");
    for (String f : fragments) {
      assertThat(r.err()).as(r.describe()).contains(f);
    }
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  static List<String> names(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aRunDirectoryIsLockedBelongsToOneRunAndIsReplacedOnlyOnRequest() throws Exception {
    Path run = dir.resolve("owned");
    String[] slow = {"train", "--config", config.toString(), "--out", run.toString(), "--quiet", "--set",
        "schedule.epochs=200", "--set", "checkpoint.everyIterations=1"};
    Launcher.Started first = Launcher.start(null, dir, HEAP, slow);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT);
      while (!Files.exists(run.resolve("checkpoints/last")) && first.process().isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(first.process().isAlive()).as(Files.readString(first.err())).isTrue();
      // a second training into the same directory at the same time is refused, naming the first
      oneLine(ibreid(slow), "run directory " + run + " is in use: process " + first.process().pid()
          + " is training in it");
      first.process().destroyForcibly(); // SIGKILL: the lock is released by the system, nothing else
      assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      first.process().destroyForcibly();
    }
    // the killed process's lock does not block: resume to one step past its newest checkpoint
    long at;
    try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
      at = s.filter(p -> p.getFileName().toString().matches("iter-\\d{8}")
              && Files.exists(p.resolve("manifest.json")))
          .mapToLong(p -> Long.parseLong(p.getFileName().toString().substring(5))).max().orElseThrow();
    }
    String max = "schedule.maxIterations=" + (at + 1);
    Launcher.Run resumed = ibreid("train", "--out", run.toString(), "--resume", "--quiet", "--set", max);
    assertThat(resumed.status()).as(resumed.describe()).isZero();
    assertThat(resumed.out()).startsWith("trained 1 iterations");

    // another run (another seed) is refused with the difference and the ways out; nothing changes
    String metrics = Files.readString(run.resolve("metrics.jsonl"));
    List<String> checkpoints = names(run.resolve("checkpoints"));
    oneLine(ibreid("train", "--config", config.toString(), "--out", run.toString(), "--quiet", "--set", "seed=5"),
        "run directory " + run + " holds another run ([seed] is 3 there, 5 here); resume it (--resume), train into "
            + "another directory (--out), or move it aside first (--overwrite)");
    // the same config without --resume: its checkpoints are not pruned by a fresh start
    List<String> same = new ArrayList<>(List.of(slow));
    same.addAll(List.of("--set", max));
    oneLine(ibreid(same.toArray(String[]::new)), "run directory " + run + " already holds a run of this config "
        + "(checkpoints up to iter-");
    oneLine(ibreid("train", "--config", config.toString(), "--out", run.toString(), "--quiet", "--resume",
        "--set", "seed=5"), "cannot resume " + run + " with another config: [seed] is 3 there, 5 here");
    assertThat(Files.readString(run.resolve("metrics.jsonl"))).isEqualTo(metrics);
    assertThat(names(run.resolve("checkpoints"))).isEqualTo(checkpoints);

    // --overwrite moves it aside whole, then trains the new run
    Launcher.Run replaced = ibreid("train", "--config", config.toString(), "--out", run.toString(), "--quiet",
        "--overwrite", "--set", "seed=5", "--set", "schedule.epochs=1");
    assertThat(replaced.status()).as(replaced.describe()).isZero();
    Path aside = dir.resolve("owned.replaced-1");
    assertThat(Files.readString(aside.resolve("metrics.jsonl"))).isEqualTo(metrics);
    assertThat(names(aside.resolve("checkpoints"))).isEqualTo(checkpoints);
    assertThat(Files.readString(run.resolve("config.yaml"))).contains("seed: 5");
    oneLine(ibreid("train", "--config", config.toString(), "--out", run.toString(), "--resume", "--overwrite"),
        "--resume and --overwrite exclude each other");
  }

  @Test
  void aDamagedCheckpointIsAnErrorWhereItWasAskedFor() throws Exception {
    Path run = dir.resolve("damaged");
    copy(tiny.run(), run);
    Path model = run.resolve("checkpoints/best/model.zip");
    byte[] good = Files.readAllBytes(model);
    byte[] random = new byte[good.length];
    new Random(29).nextBytes(random);
    String named = "the best checkpoint " + run.resolve("checkpoints/best") + " is unusable: model.zip does not "
        + "match its checksum (truncated or corrupt); name another with --checkpoint iter-";
    Files.write(model, java.util.Arrays.copyOf(good, good.length / 2));
    oneLine(ibreid("eval", "--run", run.toString(), "--trials", "1"), named);
    oneLine(ibreid("eval", "--run", run.toString(), "--checkpoint", "best", "--trials", "1"), named);
    oneLine(ibreid("extract", "--run", run.toString(), "--out", dir.resolve("f.npy").toString()), named);
    assertThat(dir.resolve("f.npy")).doesNotExist();
    Files.write(model, random);
    oneLine(ibreid("eval", "--run", run.toString(), "--trials", "1"), named);
    Files.write(model, new byte[0]);
    oneLine(ibreid("eval", "--run", run.toString(), "--checkpoint", "best", "--trials", "1"), named);
    assertThat(run.resolve("metrics.json")).doesNotExist();
    Launcher.Run doctor = ibreid("doctor", "--run", run.toString());
    assertThat(doctor.status()).as(doctor.describe()).isEqualTo(2);
    assertThat(doctor.out()).contains("error: best: model.zip does not match its checksum");

    Files.write(model, good);
    Files.writeString(run.resolve("checkpoints/last"), "iter-00000099\n");
    Launcher.Run nowhere = ibreid("doctor", "--run", run.toString());
    assertThat(nowhere.status()).as(nowhere.describe()).isEqualTo(2);
    assertThat(nowhere.out()).contains("error: checkpoints/last names iter-00000099, which does not exist");
    oneLine(ibreid("eval", "--run", run.toString(), "--checkpoint", "last", "--trials", "1"), "the last checkpoint "
        + run.resolve("checkpoints/iter-00000099") + " is unusable");
  }

  @Test
  void badInputsAreOneLineAndLeaveNothingBehind() throws Exception {
    // an empty data.root with a synthetic type: refused, nothing generated into the current folder
    Path cwd = Files.createDirectories(dir.resolve("empty-cwd"));
    Launcher.Run emptyRoot = Launcher.runIn(cwd, dir, HEAP, LIMIT, "train", "--config", config.toString(), "--out",
        "r", "--set", "data.type=synthetic-sysu", "--set", "data.root=", "--set", "data.params={}");
    oneLine(emptyRoot, "config key [data.root] = []: expected the data set's folder");
    assertThat(names(cwd)).isEmpty();

    // input sizes no array or no memory can hold: the key named, no run directory left
    Path big = dir.resolve("big");
    oneLine(ibreid("train", "--config", config.toString(), "--out", big.toString(), "--set", "input.height=100000",
        "--set", "input.width=100000"), "config key [input.height] x [input.width] = 100000 x 100000");
    // (with the launcher's default heap, in which the loader's batches fit and the step is what does not)
    oneLine(Launcher.run(dir, Map.of(), LIMIT, "train", "--config", config.toString(), "--out", big.toString(),
        "--set", "input.height=3000", "--set", "input.width=1500"), "input.height x input.width = 3000 x 1500 needs "
        + "about ", " would fit");
    assertThat(big).doesNotExist();

    // configs: a duplicate key, bytes that are not UTF-8; a file where the run directory should be
    Path dup = dir.resolve("dup.yaml");
    Files.writeString(dup, Files.readString(config) + "seed: 9\n");
    oneLine(ibreid("train", "--config", dup.toString(), "--out", big.toString()), "config file " + dup
        + " has the key [seed] twice");
    Path latin = dir.resolve("latin1.yaml");
    Files.write(latin, ("# caf\u00e9\n" + Files.readString(config)).getBytes(StandardCharsets.ISO_8859_1));
    oneLine(ibreid("train", "--config", latin.toString(), "--out", big.toString()), "config file " + latin
        + " is not UTF-8 text: byte 0xE9 at offset 5 (line 1)");
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    oneLine(ibreid("train", "--config", config.toString(), "--out", file.toString()), "run directory " + file
        + " is a file");
    assertThat(big).doesNotExist();

    // upper bounds
    oneLine(ibreid("eval", "--run", tiny.run().toString(), "--trials", "2000000000"),
        "--trials 2000000000 is out of range; expected 1..1000");

    // outputs: a folder where a file goes, a file where a folder goes; nothing written beside them
    Path jsonDir = Files.createDirectories(dir.resolve("outputs/json-dir"));
    oneLine(ibreid("eval", "--run", tiny.run().toString(), "--trials", "1", "--json", jsonDir.toString()),
        "--json " + jsonDir + " is a folder; expected a file name");
    Path aFile = Files.writeString(dir.resolve("outputs/a-file"), "x");
    oneLine(ibreid("tsne", "--run", tiny.run().toString(), "--branch", "shared", "--feature", "z", "--out",
        aFile.toString()), "--out " + aFile + " is a file; expected a folder");
    oneLine(ibreid("probe", "--run", tiny.run().toString(), "--out", aFile.toString()), "--out " + aFile
        + " is a file; expected a folder");
    assertThat(names(dir.resolve("outputs"))).containsExactly("a-file", "json-dir");
    assertThat(names(jsonDir)).isEmpty();

    // eval-features: a .npy shape whose size overflows, a CSV that never ends, a typo'd trial count
    Path q = dir.resolve("q.npy");
    Npy.write(q, FeatureMatrix.of(new float[][] {{1, 0}, {0, 1}}));
    Path qm = dir.resolve("q.csv");
    MetadataCsv.write(qm, List.of(new ImageMeta("a.jpg", 1, 3), new ImageMeta("b.jpg", 2, 3)));
    Path gm = dir.resolve("g.csv");
    MetadataCsv.write(gm, List.of(new ImageMeta("c.jpg", 1, 1), new ImageMeta("d.jpg", 2, 1)));
    Path huge = overflowingNpy(dir.resolve("huge.npy"));
    oneLine(ibreid("eval-features", "--protocol", "sysu", "--query", q.toString(), "--query-meta", qm.toString(),
        "--gallery", huge.toString(), "--gallery-meta", gm.toString()), huge + " has shape (40, 4611686018427387904)");
    oneLine(ibreid("eval-features", "--protocol", "sysu", "--query", q.toString(), "--query-meta", "/dev/zero",
        "--gallery", q.toString(), "--gallery-meta", gm.toString()), "/dev/zero line 1 holds a record of more than");
    Path endless = dir.resolve("endless.csv");
    Process yes = new ProcessBuilder("bash", "-c", "mkfifo '" + endless + "' && (echo path,pid,camid; yes a.jpg,1,3) "
        + "> '" + endless + "'").start();
    try {
      for (int i = 0; i < 100 && !Files.exists(endless); i++) {
        Thread.sleep(50);
      }
      oneLine(ibreid("eval-features", "--protocol", "sysu", "--query", q.toString(), "--query-meta",
          endless.toString(), "--gallery", q.toString(), "--gallery-meta", gm.toString()), endless
          + " describes more than 2 images; " + q + " has 2 rows");
    } finally {
      yes.descendants().forEach(ProcessHandle::destroyForcibly);
      yes.destroyForcibly();
    }
    oneLine(ibreid("eval-features", "--protocol", "sysu", "--query", q.toString(), "--query-meta", qm.toString(),
        "--gallery", q.toString(), "--gallery-meta", gm.toString(), "--trials", "2000000000"),
        "--trials 2000000000 is out of range");
    oneLine(ibreid("eval-features", "--protocol", "sysu", "--query", q.toString(), "--query-meta", qm.toString(),
        "--gallery", q.toString(), "--gallery-meta", gm.toString(), "--report", aFile.toString()),
        "--report " + aFile + " is a file");
  }

  /** A .npy header of shape (40, 2^62), no data: 40 x 2^62 x 4 bytes is 0 modulo 2^64. */
  static Path overflowingNpy(Path file) throws IOException {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (40, 4611686018427387904), }";
    String h = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + h.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length());
    b.put(h.getBytes(StandardCharsets.ISO_8859_1));
    return Files.write(file, b.array());
  }

  @Test
  void aTrainingThatFailsOnAnUndecodableImageLeavesNoRunDirectory() throws Exception {
    Path data = dir.resolve("broken-data");
    copy(tiny.data(), data);
    // every visible image keeps its header (the check when the set opens passes) and loses its data: the first batch
    // fails to decode
    for (String cam : List.of("cam1", "cam2", "cam4", "cam5")) {
      try (Stream<Path> s = Files.walk(data.resolve(cam))) {
        for (Path p : s.filter(p -> p.toString().endsWith(".jpg")).toList()) {
          byte[] b = Files.readAllBytes(p);
          Files.write(p, java.util.Arrays.copyOf(b, 200));
        }
      }
    }
    Path run = dir.resolve("broken-run");
    Launcher.Run r = ibreid("train", "--config", config.toString(), "--out", run.toString(), "--quiet", "--set",
        "data.root=" + data);
    oneLine(r, data.toString(), "data.params.skipCorrupt");
    assertThat(run).doesNotExist();
  }

  @Test
  void extractWritesNamesWithLineBreaksThatEvalFeaturesReadsBack() throws Exception {
    Path data = dir.resolve("odd-names");
    copy(tiny.data(), data);
    String testIds = Files.readString(data.resolve("exp/test_id.txt")).strip();
    int id = Integer.parseInt(testIds.split("[,\\s]+")[0]);
    Path ir = data.resolve(String.format("cam3/%04d", id));
    Path vis = data.resolve(String.format("cam1/%04d", id));
    Files.move(names(ir).stream().map(ir::resolve).findFirst().orElseThrow(), ir.resolve("a\nb.jpg"));
    Files.move(names(vis).stream().map(vis::resolve).findFirst().orElseThrow(), vis.resolve("c\rd, \"e\".jpg"));
    Path q = dir.resolve("odd-q.npy");
    Path g = dir.resolve("odd-g.npy");
    for (String[] m : List.of(new String[] {"infrared", q.toString()}, new String[] {"visible", g.toString()})) {
      Launcher.Run r = ibreid("extract", "--run", tiny.run().toString(), "--root", data.toString(), "--modality",
          m[0], "--out", m[1]);
      assertThat(r.status()).as(r.describe()).isZero();
    }
    Path qcsv = dir.resolve("odd-q.csv");
    Path gcsv = dir.resolve("odd-g.csv");
    assertThat(MetadataCsv.read(qcsv)).extracting(ImageMeta::path).contains(ir.resolve("a\nb.jpg").toString());
    assertThat(MetadataCsv.read(gcsv)).extracting(ImageMeta::path).contains(vis.resolve("c\rd, \"e\".jpg").toString());
    Launcher.Run eval = ibreid("eval-features", "--protocol", "sysu", "--query", q.toString(), "--query-meta",
        qcsv.toString(), "--gallery", g.toString(), "--gallery-meta", gcsv.toString());
    assertThat(eval.status()).as(eval.describe()).isZero();
    assertThat(eval.out()).startsWith("{\"rank1\": ");
  }

  @Test
  void aKilledSynthLeavesAFolderTheNextOneRemoves() throws Exception {
    Path out = dir.resolve("lab");
    Launcher.Started synth = Launcher.start(null, dir, HEAP, "synth", "--layout", "sysu", "--out", out.toString(),
        "--ids", "300", "--test-ids", "50", "--size", "128x64");
    Path partial = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT);
      while (partial == null && synth.process().isAlive() && System.nanoTime() < deadline) {
        try (Stream<Path> s = Files.list(dir)) {
          partial = s.filter(p -> p.getFileName().toString().startsWith(".lab.partial-")).findFirst().orElse(null);
        }
        Thread.sleep(50);
      }
      assertThat(partial).as(Files.readString(synth.err())).isNotNull();
      Thread.sleep(1000); // let it write some images
      synth.process().destroyForcibly();
      assertThat(synth.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      synth.process().destroyForcibly();
    }
    assertThat(partial).exists();
    Launcher.Run again = ibreid("synth", "--layout", "sysu", "--out", out.toString(), "--ids", "4", "--test-ids", "2",
        "--size", "32x16", "--images", "1", "--camera-presence", "1");
    assertThat(again.status()).as(again.describe()).isZero();
    assertThat(partial).doesNotExist();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".lab.partial-"));
    }
  }

  /** Mounts a tmpfs of {@code size} at {@code at}; false where this process may not mount (or has no mount). */
  static boolean mount(Path at, String size) throws Exception {
    Files.createDirectories(at);
    Process p;
    try {
      p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString())
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      return false;
    }
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  static void umount(Path at) throws Exception {
    new ProcessBuilder("umount", "-l", at.toString()).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  void aFullDiskAndAReadOnlyRunNameTheUsersFileAndLeaveNothing() throws Exception {
    Path full = dir.resolve("full");
    Assumptions.assumeTrue(mount(full, "256k"), "cannot mount a tmpfs here (needs root); see the manual check");
    try {
      try (OutputStream o = Files.newOutputStream(full.resolve("filler"))) {
        byte[] block = new byte[4096];
        for (int i = 0; i < 1000; i++) {
          o.write(block);
          o.flush();
        }
      } catch (IOException expected) {
        // the disk is full now
      }
      String run = tiny.run().toString();
      oneLine(ibreid("eval", "--run", run, "--trials", "1", "--json", full.resolve("m.json").toString()),
          "cannot write " + full.resolve("m.json") + ": No space left on device");
      oneLine(ibreid("extract", "--run", run, "--out", full.resolve("f.npy").toString()),
          "cannot write " + full.resolve("f.npy") + ": No space left on device");
      oneLine(ibreid("tsne", "--run", run, "--branch", "shared", "--feature", "z", "--ids", "4", "--per-id", "3",
          "--perplexity", "5", "--k", "5", "--out", full.resolve("t").toString()), "cannot write "
          + full.resolve("t"), "No space left on device");
      oneLine(ibreid("probe", "--run", run, "--out", full.resolve("p").toString()), "cannot write "
          + full.resolve("p"), "No space left on device");
      assertThat(names(full)).containsExactly("filler");
    } finally {
      umount(full);
    }

    Path ro = dir.resolve("ro");
    Assumptions.assumeTrue(mount(ro, "64m"), "cannot mount a tmpfs here");
    try {
      copy(tiny.run(), ro.resolve("run"));
      Process remount = new ProcessBuilder("mount", "-o", "remount,ro", ro.toString()).start();
      assertThat(remount.waitFor(30, TimeUnit.SECONDS) && remount.exitValue() == 0).isTrue();
      oneLine(ibreid("eval", "--run", ro.resolve("run").toString(), "--trials", "1"), "cannot write "
          + ro.resolve("run/metrics.json") + ": Read-only file system (write the metrics elsewhere with --json FILE)");
    } finally {
      umount(ro);
    }
  }
}
