package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {
  @Test
  void checksADataSetRootAndNamesWhatIsWrong(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("sysu");
    assertThat(IbreidCliTest.run("synth", "--layout", "sysu", "--out", data.toString(), "--ids", "4", "--test-ids",
        "2", "--size", "32x16", "--images", "1").code()).isZero();
    IbreidCliTest.Result ok = IbreidCliTest.run("doctor", "--dataset", "sysu", "--root", data.toString(), "--decode");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).startsWith("ok: ");

    Files.delete(data.resolve("exp/test_id.txt"));
    IbreidCliTest.Result bad = IbreidCliTest.run("doctor", "--dataset", "sysu", "--root", data.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.out()).startsWith("error: ").contains(data.resolve("exp/test_id.txt").toString());
  }

  @Test
  void checksARunDirectory(@TempDir Path dir) {
    IbreidCliTest.Result r = IbreidCliTest.run("doctor", "--run", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("error: config file " + dir.resolve("config.yaml") + " does not exist");
    IbreidCliTest.Result none = IbreidCliTest.run("doctor");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("ibreid: doctor needs --system, --run RUN_DIR and/or --dataset TYPE --root DIR\n");
  }
}
