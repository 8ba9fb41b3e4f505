package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export}, {@code index} and {@code search} on a tiny really trained run and its generated SYSU-layout
 * images: the files they write, the table, JSON and picture of a search, filters, an index extended and pruned, and
 * the one-line errors (unknown format, a folder that is no run, an unwritable path, another run's index, a bad
 * filter).
 */
class DeploymentCommandsTest {
  @TempDir
  static Path dir;
  static TinyRun tiny;
  static Path other;

  @BeforeAll
  static void train() throws Exception {
    tiny = TinyRun.train(dir, "deploy", 1);
    other = TinyRun.train(dir.resolve("second"), "other", 2).run(); // other weights: another fingerprint
  }

  static void oneLine(IbreidCliTest.Result r, String expected) {
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).startsWith("ibreid: ").contains(expected);
    assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
  }

  @Test
  void exportWritesAnOnnxModelAndRefusesBadRequestsInOneLine() throws Exception {
    Path model = dir.resolve("m.onnx");
    IbreidCliTest.Result r = IbreidCliTest.run("export", "--run", tiny.run().toString(), "--format", "onnx", "--out",
        model.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("wrote " + model).contains("feature_visible").contains("feature_infrared");
    assertThat(Files.size(model)).isPositive();

    oneLine(IbreidCliTest.run("export", "--run", tiny.run().toString(), "--format", "tflite", "--out",
        dir.resolve("x").toString()), "--format must be one of [onnx, safetensors], got [tflite]");
    oneLine(IbreidCliTest.run("export", "--run", dir.resolve("nothing").toString(), "--format", "onnx", "--out",
        dir.resolve("y.onnx").toString()), "nothing");
    Path file = dir.resolve("plain-file");
    Files.writeString(file, "x");
    oneLine(IbreidCliTest.run("export", "--run", tiny.run().toString(), "--format", "onnx", "--out",
        file.resolve("m.onnx").toString()), "cannot write " + file.resolve("m.onnx") + ": " + file
        + " is a file, not a folder");
    assertThat(dir.resolve("x")).doesNotExist();
    assertThat(dir.resolve("y.onnx")).doesNotExist();
  }

  @Test
  void anIndexCommandKilledWithSigkillLosesNoCommitAndItsRestartDuplicatesNothing() throws Exception {
    Path index = dir.resolve("killed.idx");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        IbreidCli.class.getName(), "index", "--run", tiny.run().toString(), "--images", tiny.data().toString(),
        "--out", index.toString(), "--batch", "4", "--quiet").redirectErrorStream(true)
        .redirectOutput(dir.resolve("killed.log").toFile()).start();
    int seen = 0;
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (seen < 12 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      try (io.ibreid.index.GalleryIndex i = io.ibreid.index.GalleryIndex.openForReading(index)) {
        seen = i.size();
      } catch (RuntimeException notYet) {
        // no first commit yet
      }
    }
    assertThat(p.isAlive()).as(Files.readString(dir.resolve("killed.log"))).isTrue();
    p.destroyForcibly(); // SIGKILL, in the middle of the build
    p.waitFor();
    int survived;
    try (io.ibreid.index.GalleryIndex i = io.ibreid.index.GalleryIndex.openForReading(index)) {
      survived = i.size();
    }
    assertThat(survived).isGreaterThanOrEqualTo(seen);
    long images;
    try (Stream<Path> files = Files.walk(tiny.data())) {
      images = files.filter(f -> f.toString().endsWith(".jpg")).count();
    }
    assertThat((long) survived).isLessThan(images);
    IbreidCliTest.Result resumed = IbreidCliTest.run("index", "--run", tiny.run().toString(), "--images",
        tiny.data().toString(), "--out", index.toString(), "--quiet");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains((images - survived) + " images added, " + survived + " already there, "
        + images + " in total");
  }

  @Test
  void indexThenSearchWithFiltersJsonAndPicture() throws Exception {
    Path index = dir.resolve("gallery.idx");
    IbreidCliTest.Result built = IbreidCliTest.run("index", "--run", tiny.run().toString(), "--images",
        tiny.data().toString(), "--out", index.toString(), "--quiet", "--batch", "16");
    assertThat(built.code()).as(built.err()).isZero();
    long images;
    try (Stream<Path> files = Files.walk(tiny.data())) {
      images = files.filter(p -> p.toString().endsWith(".jpg")).count();
    }
    assertThat(built.out()).contains(images + " images added, 0 already there, " + images + " in total");

    IbreidCliTest.Result again = IbreidCliTest.run("index", "--run", tiny.run().toString(), "--images",
        tiny.data().toString(), "--out", index.toString(), "--quiet");
    assertThat(again.out()).contains("0 images added, " + images + " already there, " + images + " in total");

    Path query;
    try (Stream<Path> files = Files.walk(tiny.data().resolve("cam3"))) {
      query = files.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
    }
    IbreidCliTest.Result table = IbreidCliTest.run("search", "--index", index.toString(), "--image",
        query.toString(), "--top", "5");
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out().lines().count()).isEqualTo(6);
    assertThat(table.out().lines().skip(1).findFirst().orElseThrow()).contains("1.0000").contains(query.toString());

    Path png = dir.resolve("ranks.png");
    IbreidCliTest.Result json = IbreidCliTest.run("search", "--index", index.toString(), "--run",
        tiny.run().toString(), "--image", query.toString(), "--top", "8", "--filter", "camera!=3", "--filter",
        "modality=visible", "--json", "--png", png.toString());
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(json.out());
    assertThat(doc.get("modality").asText()).isEqualTo("infrared");
    assertThat(doc.get("results")).hasSize(8);
    for (JsonNode h : doc.get("results")) {
      assertThat(h.get("camera").asInt()).isNotEqualTo(3);
      assertThat(h.get("modality").asText()).isEqualTo("visible");
    }
    assertThat(png).isRegularFile();
    assertThat(dir.resolve("ranks.csv")).isRegularFile();
    IbreidCliTest.Result exact = IbreidCliTest.run("search", "--index", index.toString(), "--image",
        query.toString(), "--top", "8", "--filter", "camera!=3", "--filter", "modality=visible", "--json", "--exact");
    assertThat(new ObjectMapper().readTree(exact.out()).get("results").get(0).get("path"))
        .isEqualTo(doc.get("results").get(0).get("path"));

    oneLine(IbreidCliTest.run("search", "--index", index.toString(), "--image", query.toString(), "--filter",
        "colour=red"), "--filter [colour=red] is not one of");
    oneLine(IbreidCliTest.run("search", "--index", index.toString(), "--run", other.toString(), "--image",
        query.toString()), "embed with the run the index was built with");
    oneLine(IbreidCliTest.run("index", "--run", other.toString(), "--images", tiny.data().toString(), "--out",
        index.toString(), "--quiet"), "holds features of run fingerprint");
    Path noList = dir.resolve("no-such-list.csv");
    oneLine(IbreidCliTest.run("index", "--run", tiny.run().toString(), "--list", noList.toString(), "--out",
        index.toString(), "--quiet"), "cannot read --list " + noList + ": " + noList + " does not exist");
    oneLine(IbreidCliTest.run("index", "--run", tiny.run().toString(), "--delete", noList.toString(), "--out",
        index.toString()), "cannot read " + noList + ": " + noList + " does not exist");

    Path remove = dir.resolve("remove.csv");
    Files.writeString(remove, "path\n" + query + "\n" + dir.resolve("already-gone.jpg") + "\n");
    IbreidCliTest.Result deleted = IbreidCliTest.run("index", "--run", tiny.run().toString(), "--delete",
        remove.toString(), "--out", index.toString());
    assertThat(deleted.out()).as(deleted.err()).contains("deleted 1 of 2");
    IbreidCliTest.Result after = IbreidCliTest.run("search", "--index", index.toString(), "--image",
        query.toString(), "--top", "3");
    assertThat(after.out()).doesNotContain(query.toString() + "\n");
  }
}
