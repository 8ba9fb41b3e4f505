package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluation.featureSets} end to end: a tiny three-branch run trained for a few steps on generated data, then
 * {@code ibreid eval}: metrics.json keeps the primary feature where it was and adds every named set, each evaluated
 * on the same queries and, trial by trial, the same galleries.
 */
class FeatureSetsEvalTest {
  @TempDir
  static Path dir;
  static Path run;
  static final String SETS = """
      evaluation:
        visible: [shared.z]
        infrared: [shared.z]
        featureSets:
          shared-v: {visible: [shared.v], infrared: [shared.v]}
          shared-vz: {visible: [shared.v, shared.z], infrared: [shared.v, shared.z]}
          own-and-gray: {visible: [visible.z, shared.v@gray], infrared: [infrared.z, shared.v@gray]}
      """;

  @BeforeAll
  static void train() throws Exception {
    run = TinyRun.train(dir, "sets", 1, 4, SETS, "mlp").run();
  }

  /** A copy of the run whose config.yaml evaluates {@code visible}/{@code infrared} and no named set. */
  static Path copyWithEvaluation(String name, List<String> keys) throws Exception {
    Path copy = dir.resolve(name);
    try (Stream<Path> files = Files.walk(run)) {
      for (Path p : files.toList()) {
        Path target = copy.resolve(run.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    RunConfig c = ConfigLoader.load(copy.resolve("config.yaml"), List.of());
    c.evaluation.visible = new ArrayList<>(keys);
    c.evaluation.infrared = new ArrayList<>(keys);
    c.evaluation.featureSets.clear();
    Files.writeString(copy.resolve("config.yaml"), ConfigLoader.toYaml(c));
    return copy;
  }

  static JsonNode eval(Path runDir) throws Exception {
    IbreidCliTest.Result r = IbreidCliTest.run("eval", "--run", runDir.toString(), "--trials", "3");
    assertThat(r.code()).as(r.err()).isZero();
    return new ObjectMapper().readTree(runDir.resolve("metrics.json").toFile());
  }

  @Test
  void everySetIsScoredOnTheSameQueriesAndGalleriesAndThePrimaryStaysOnTop() throws Exception {
    IbreidCliTest.Result r = IbreidCliTest.run("eval", "--run", run.toString(), "--trials", "3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("primary feature: visible [shared.z], infrared [shared.z]",
        "feature set shared-v: visible [shared.v], infrared [shared.v]",
        "feature set shared-vz: visible [shared.v, shared.z], infrared [shared.v, shared.z]",
        "feature set own-and-gray: visible [visible.z, shared.v@gray], infrared [infrared.z, shared.v@gray]");
    JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    assertThat(m.get("features").toString()).isEqualTo("{\"visible\":[\"shared.z\"],\"infrared\":[\"shared.z\"]}");
    JsonNode sets = m.get("featureSets");
    assertThat(sets.fieldNames()).toIterable().containsExactly("shared-v", "shared-vz", "own-and-gray");
    assertThat(sets.get("shared-vz").get("features").get("infrared").toString())
        .isEqualTo("[\"shared.v\",\"shared.z\"]");
    for (String protocol : List.of("sysu-all-1shot", "sysu-indoor-1shot")) {
      JsonNode primary = m.get(protocol);
      assertThat(primary.get("trials").asInt()).isEqualTo(3);
      for (String name : List.of("shared-v", "shared-vz", "own-and-gray")) {
        JsonNode s = sets.get(name).get(protocol);
        assertThat(s).as(name + " " + protocol).isNotNull();
        assertThat(s.get("trials").asInt()).isEqualTo(3);
        for (int t = 0; t < 3; t++) {
          JsonNode a = primary.get("perTrial").get(t);
          JsonNode b = s.get("perTrial").get(t);
          assertThat(b.get("queries").asInt()).isEqualTo(a.get("queries").asInt()).isEqualTo(16);
          assertThat(b.get("galleryImages").asInt()).isEqualTo(a.get("galleryImages").asInt());
        }
      }
    }
    // a run without sets writes the same top-level protocol objects and no featureSets key
    JsonNode plain = eval(copyWithEvaluation("plain", List.of("shared.z")));
    assertThat(plain.has("featureSets")).isFalse();
    assertThat(plain.get("features")).isEqualTo(m.get("features"));
    assertThat(plain.get("sysu-all-1shot")).isEqualTo(m.get("sysu-all-1shot"));
    assertThat(plain.get("sysu-indoor-1shot")).isEqualTo(m.get("sysu-indoor-1shot"));
    // and a named set scores exactly what it scores as a primary feature: same images, same trials
    JsonNode asPrimary = eval(copyWithEvaluation("vz", List.of("shared.v", "shared.z")));
    assertThat(asPrimary.get("sysu-all-1shot")).isEqualTo(sets.get("shared-vz").get("sysu-all-1shot"));
    assertThat(asPrimary.get("sysu-indoor-1shot")).isEqualTo(sets.get("shared-vz").get("sysu-indoor-1shot"));
  }
}
