package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release wiring and the release's "VIB" bottleneck through the command line: a tiny run trains for a few
 * steps, and eval scores the release's test feature (the four observation features) and the shared branch's z.
 */
class ReleaseWiringRunTest {
  @Test
  void aReleaseWiredRunTrainsAndEvaluatesTheReleaseTestFeature(@TempDir Path dir) throws Exception {
    Path run = TinyRun.train(dir, "release", 1, 4, """
        wiring: release
        evaluation:
          visible: [infrared.v, shared.v@gray, visible.v, shared.v]
          infrared: [infrared.v, shared.v@gray, visible.v, shared.v]
          featureSets:
            shared-z: {visible: [shared.z], infrared: [shared.z]}
        """, "release-vib").run();
    IbreidCliTest.Result r = IbreidCliTest.run("eval", "--run", run.toString(), "--trials", "2", "--mode", "all");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode m = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    assertThat(m.get("features").get("visible").toString())
        .isEqualTo("[\"infrared.v\",\"shared.v@gray\",\"visible.v\",\"shared.v\"]");
    assertThat(m.get("sysu-all-1shot").get("queries").asInt()).isEqualTo(16);
    assertThat(m.get("featureSets").get("shared-z").get("sysu-all-1shot").get("queries").asInt()).isEqualTo(16);
  }
}
