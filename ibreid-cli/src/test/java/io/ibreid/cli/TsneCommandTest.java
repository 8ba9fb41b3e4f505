package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ibreid tsne} on a generated SYSU-layout set and a tiny three-branch run trained in seconds. */
class TsneCommandTest {
  @TempDir
  static Path dir;
  static Path data;
  static Path run;

  @BeforeAll
  static void trainOnASmallGeneratedSet() throws Exception {
    TinyRun tiny = TinyRun.train(dir, "tsne", 1);
    data = tiny.data();
    run = tiny.run();
  }

  private static IbreidCliTest.Result tsne(Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("tsne", "--run", run.toString(), "--out", out.toString()));
    args.addAll(List.of(extra));
    return IbreidCliTest.run(args.toArray(String[]::new));
  }

  /** Rows of tsne.csv (no quoted paths in this data set). */
  private static List<String[]> rows(Path csv) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("path,pid,camid,modality,x,y");
    return lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
  }

  @Test
  void writesBothPicturesTheCoordinatesAndTheSummary() throws Exception {
    Path out = dir.resolve("shared-z");
    IbreidCliTest.Result r = tsne(out, "--branch", "shared", "--feature", "z", "--ids", "4", "--per-id", "3",
        "--perplexity", "5", "--k", "5", "--seed", "7");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("extracting shared.z of 24 images (4 identities, 12 visible, 12 infrared)",
        "shared.z, 24 images of 4 identities, 5 nearest neighbours", "wrote tsne-identity.png");
    for (String png : List.of("tsne-identity.png", "tsne-modality.png")) {
      BufferedImage image = ImageIO.read(out.resolve(png).toFile());
      assertThat(image.getWidth()).isEqualTo(900);
      assertThat(image.getHeight()).isEqualTo(760);
    }
    List<String[]> rows = rows(out.resolve("tsne.csv"));
    assertThat(rows).hasSize(24);
    Map<String, Integer> perGroup = new HashMap<>();
    for (String[] row : rows) {
      assertThat(Path.of(row[0])).exists();
      int cam = Integer.parseInt(row[2]);
      assertThat(row[3]).isEqualTo(cam == 3 || cam == 6 ? "infrared" : "visible");
      perGroup.merge(row[1] + "/" + row[3], 1, Integer::sum);
      assertThat(Double.parseDouble(row[4])).isFinite();
    }
    assertThat(perGroup).hasSize(8).allSatisfy((group, count) -> assertThat(count).isEqualTo(3));

    JsonNode json = new ObjectMapper().readTree(out.resolve("tsne.json").toFile());
    assertThat(json.get("branch").asText()).isEqualTo("shared");
    assertThat(json.get("feature").asText()).isEqualTo("z");
    assertThat(json.get("featureDim").asInt()).isEqualTo(4);
    assertThat(json.get("images").asInt()).isEqualTo(24);
    assertThat(json.get("kl").asDouble()).isPositive();
    assertThat(r.out()).contains(json.get("summary").asText());
    // chance levels by hand: 4 identities x (3 visible + 3 infrared); of the 23 others, 5 share the identity and 11
    // the modality; of the 12 images of the other modality, 3 share the identity
    JsonNode chance = json.get("chance");
    assertThat(chance.get("sameIdentity").asDouble()).isCloseTo(5.0 / 23, within(1e-12));
    assertThat(chance.get("sameModality").asDouble()).isCloseTo(11.0 / 23, within(1e-12));
    assertThat(chance.get("crossModalIdentity").asDouble()).isCloseTo(0.25, within(1e-12));
    // the 2-D scores recomputed here from the written coordinates (5 nearest, ties to the earlier row)
    double sameId = 0;
    double sameMod = 0;
    for (int i = 0; i < rows.size(); i++) {
      String[] a = rows.get(i);
      List<Integer> order = new ArrayList<>();
      for (int j = 0; j < rows.size(); j++) {
        if (j != i) {
          order.add(j);
        }
      }
      final int row = i;
      order.sort((x, y) -> Double.compare(dist2(rows.get(row), rows.get(x)), dist2(rows.get(row), rows.get(y))));
      for (int j : order.subList(0, 5)) {
        sameId += rows.get(j)[1].equals(a[1]) ? 1 / 5.0 : 0;
        sameMod += rows.get(j)[3].equals(a[3]) ? 1 / 5.0 : 0;
      }
    }
    assertThat(json.get("embedding").get("sameIdentity").asDouble()).isCloseTo(sameId / 24, within(1e-9));
    assertThat(json.get("embedding").get("sameModality").asDouble()).isCloseTo(sameMod / 24, within(1e-9));
    for (String part : List.of("embedding", "features")) {
      for (String score : List.of("sameIdentity", "sameModality", "crossModalIdentity")) {
        assertThat(json.get(part).get(score).asDouble()).isBetween(0.0, 1.0);
      }
    }

    Path again = dir.resolve("shared-z-again");
    assertThat(tsne(again, "--branch", "shared", "--feature", "z", "--ids", "4", "--per-id", "3", "--perplexity",
        "5", "--k", "5", "--seed", "7").code()).isZero();
    assertThat(Files.readString(again.resolve("tsne.csv"))).isEqualTo(Files.readString(out.resolve("tsne.csv")));
  }

  private static double dist2(String[] a, String[] b) {
    double dx = Double.parseDouble(a[4]) - Double.parseDouble(b[4]);
    double dy = Double.parseDouble(a[5]) - Double.parseDouble(b[5]);
    return dx * dx + dy * dy;
  }

  @Test
  void aModalityBranchEmbedsBothModalitiesAndTheHoldoutSplitWorks() throws Exception {
    Path out = dir.resolve("visible-v");
    IbreidCliTest.Result r = tsne(out, "--branch", "visible", "--feature", "v", "--split", "holdout", "--ids", "2",
        "--per-id", "4", "--perplexity", "2", "--k", "3", "--distance", "euclidean");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.resolve("tsne.json").toFile());
    assertThat(json.get("featureDim").asInt()).isEqualTo(8);
    assertThat(json.get("split").asText()).isEqualTo("holdout");
    assertThat(json.get("distance").asText()).isEqualTo("euclidean");
    assertThat(json.get("infrared").asInt()).isPositive();
    assertThat(json.get("visible").asInt()).isPositive();
    assertThat(json.get("method").asText()).isEqualTo("exact");
  }

  @Test
  void barnesHutOnRequest() throws Exception {
    Path out = dir.resolve("barnes-hut");
    IbreidCliTest.Result r = tsne(out, "--branch", "infrared", "--feature", "z", "--ids", "4", "--per-id", "3",
        "--perplexity", "5", "--k", "5", "--theta", "0.5");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Barnes-Hut t-SNE");
    JsonNode json = new ObjectMapper().readTree(out.resolve("tsne.json").toFile());
    assertThat(json.get("method").asText()).isEqualTo("barnes-hut");
    assertThat(json.get("theta").asDouble()).isEqualTo(0.5);
    assertThat(json.get("kl").asDouble()).isPositive();
    assertThat(rows(out.resolve("tsne.csv"))).hasSize(24);
  }

  @Test
  void badInputFailsWithOneLineAndWritesNothing() throws Exception {
    Path out = dir.resolve("never");
    assertError(tsne(out, "--branch", "thermal", "--feature", "z"),
        "ibreid: --branch must be one of [visible, infrared, shared], got [thermal]");
    assertError(tsne(out, "--branch", "shared", "--feature", "q"),
        "ibreid: --feature q: the shared branch of run " + run + " has no output [q]; its outputs: [v, z, v_logits, "
            + "z_logits]");
    assertError(tsne(out, "--branch", "shared", "--feature", "z", "--ids", "5"),
        "ibreid: --ids 5: the test split of " + data + " has 4 identities with images of both modalities");
    assertError(tsne(out, "--branch", "shared", "--feature", "z", "--ids", "4", "--per-id", "3"),
        "ibreid: --perplexity 30 needs at least 91 images (3 x perplexity + 1); the selection has 24: lower "
            + "--perplexity or raise --ids / --per-id");
    assertError(tsne(out, "--branch", "shared", "--feature", "z", "--ids", "1"), "ibreid: --ids must be at least 2, "
        + "got 1");
    assertError(tsne(out, "--branch", "shared", "--feature", "z", "--split", "train"),
        "ibreid: --split must be one of [test, holdout], got [train]");
    assertError(tsne(out, "--branch", "shared", "--feature", "z", "--ids", "4", "--per-id", "3", "--perplexity",
        "5", "--k", "24"), "ibreid: --k 24 needs at least 25 images; the selection has 24");
    assertError(tsne(out, "--branch", "shared", "--feature", "z", "--theta", "-1"),
        "ibreid: --theta must be >= 0 (0 = exact), got -1.0");
    assertThat(out).doesNotExist();

    // a run without the branch asked for
    Path cfg = dir.resolve("visible-only.yaml");
    Files.writeString(cfg, IbreidCliTest.CONFIG);
    Path small = dir.resolve("visible-only");
    assertThat(IbreidCliTest.run("train", "--config", cfg.toString(), "--out", small.toString(), "--quiet", "--set",
        "schedule.maxIterations=1").code()).isZero();
    assertError(IbreidCliTest.run("tsne", "--run", small.toString(), "--out", out.toString(), "--branch", "shared",
        "--feature", "z"), "ibreid: --branch shared: run " + small + " has no shared branch; it has [visible]");
    assertThat(out).doesNotExist();
  }

  private static void assertError(IbreidCliTest.Result r, String line) {
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo(line + "\n");
  }
}
