package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ibreid.core.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ibreid probe} on a tiny three-branch run trained in seconds on a generated set with its factor file. */
class ProbeCommandTest {
  @TempDir
  static Path dir;
  static Path data;
  static Path run;

  @BeforeAll
  static void trainOnASmallGeneratedSet() throws Exception {
    TinyRun tiny = TinyRun.train(dir, "probe", 1, 8);
    data = tiny.data();
    run = tiny.run();
  }

  private static IbreidCliTest.Result probe(String... args) {
    List<String> all = new ArrayList<>(List.of("probe"));
    all.addAll(List.of(args));
    return IbreidCliTest.run(all.toArray(String[]::new));
  }

  private static List<String> files(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void probesEveryBranchOutputAgainstEveryFactorAndGivesTheSameNumbersOnARerun() throws Exception {
    Path out = dir.resolve("out");
    IbreidCliTest.Result r = probe("--run", run.toString(), "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("probing " + run).contains("96 test images of 8 identities")
        .contains("| identity | label |").contains("| upper colour (R²) | visible-only |").contains("wrote ");
    assertThat(files(out)).containsExactly("probe.json", "probe.md", "probe.png");
    JsonNode json = new ObjectMapper().readTree(out.resolve("probe.json").toFile());
    assertThat(json.get("factorFile").asBoolean()).isTrue();
    List<String> features = new ArrayList<>();
    json.get("features").forEach(f -> features.add(f.get("name").asText()));
    assertThat(features).containsExactly("visible.v", "visible.z", "infrared.v", "infrared.z", "shared.v",
        "shared.z", "test visible.z+shared.z | infrared.z+shared.z");
    JsonNode shared = json.get("scores").get("shared.z");
    assertThat(shared.get("identity").get("metric").asText()).isEqualTo("accuracy");
    assertThat(shared.get("identity").get("chance").asDouble()).isBetween(0.0, 0.3);
    assertThat(shared.get("modality").get("classes").asInt()).isEqualTo(2);
    assertThat(shared.get("scale").get("metric").asText()).isEqualTo("r2");
    // a feature of visible images only: colours probed, heat levels and modality not
    JsonNode visible = json.get("scores").get("visible.z");
    assertThat(visible.has("upper colour")).isTrue();
    assertThat(visible.has("upper heat")).isFalse();
    assertThat(visible.has("modality")).isFalse();
    BufferedImage png = ImageIO.read(out.resolve("probe.png").toFile());
    assertThat(png.getWidth()).isGreaterThan(800);
    assertThat(png.getHeight()).isGreaterThan(300);
    String first = Files.readString(out.resolve("probe.json"));
    String firstMd = Files.readString(out.resolve("probe.md"));

    IbreidCliTest.Result again = probe("--run", run.toString(), "--out", out.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(Files.readString(out.resolve("probe.json"))).isEqualTo(first);
    assertThat(Files.readString(out.resolve("probe.md"))).isEqualTo(firstMd);
  }

  @Test
  void aDataSetWithoutFactorFileIsProbedForIdentityModalityAndCameraAndSaysSo() throws Exception {
    Path copy = dir.resolve("nofactors");
    copyTree(data, copy);
    Files.delete(copy.resolve("factors.csv"));
    Path out = dir.resolve("out-layout");
    IbreidCliTest.Result r = probe("--run", run.toString(), "--root", copy.toString(), "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().filter(l -> l.startsWith("no factor file")).toList()).containsExactly(
        "no factor file at " + copy.resolve("factors.csv") + ": probing identity, modality and camera only (what "
            + "the layout gives)");
    JsonNode json = new ObjectMapper().readTree(out.resolve("probe.json").toFile());
    List<String> factors = new ArrayList<>();
    json.get("factors").forEach(f -> factors.add(f.get("name").asText()));
    assertThat(factors).containsExactly("identity", "modality", "camera");
    assertThat(json.get("factorFile").asBoolean()).isFalse();
  }

  @Test
  void aRunWithoutCheckpointsIsOneLineAndWritesNothing() throws Exception {
    Path empty = dir.resolve("no-checkpoints");
    Files.createDirectories(empty);
    Files.copy(run.resolve("config.yaml"), empty.resolve("config.yaml"));
    IbreidCliTest.Result r = probe("--run", empty.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("ibreid: run directory " + empty + " has no valid checkpoint");
    assertThat(files(empty)).containsExactly("config.yaml");
  }

  @Test
  void aFactorFileThatDoesNotMatchTheImagesIsOneLineAndWritesNothing() throws Exception {
    Path copy = dir.resolve("mismatch");
    copyTree(data, copy);
    Path factors = copy.resolve("factors.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(factors));
    // the first test image's row claims another camera
    String testIds = Files.readString(copy.resolve("exp/test_id.txt")).strip();
    String pid = String.format("%04d", Integer.parseInt(testIds.split(",")[0]));
    int k = 1;
    while (!lines.get(k).startsWith("cam1/" + pid + "/")) {
      k++;
    }
    String[] v = lines.get(k).split(",", -1);
    v[2] = "2";
    lines.set(k, String.join(",", v));
    AtomicFiles.writeString(factors, String.join("\n", lines) + "\n");
    Path out = dir.resolve("out-mismatch");
    IbreidCliTest.Result r = probe("--run", run.toString(), "--root", copy.toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("ibreid: factor file " + factors + " does not match the data set: its "
        + "row for " + v[0] + " says identity").contains("camera 2").doesNotContain("\n");
    assertThat(files(out)).isEmpty();
    // a row missing altogether
    lines.remove(k);
    AtomicFiles.writeString(factors, String.join("\n", lines) + "\n");
    r = probe("--run", run.toString(), "--root", copy.toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("ibreid: factor file " + factors + " does not match the data set: it "
        + "has no row for " + copy.resolve(v[0]));
    assertThat(files(out)).isEmpty();
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
