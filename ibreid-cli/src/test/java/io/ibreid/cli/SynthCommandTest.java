package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
  @TempDir
  Path dir;

  private record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = IbreidCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(status, out.toString(), err.toString());
  }

  @Test
  void writesASysuLayoutTheReaderLoadsAndPrintsTheCounts() throws Exception {
    Path out = dir.resolve("s");
    Result r = run("synth", "--layout", "sysu", "--out", out.toString(), "--ids", "6", "--test-ids", "3", "--size",
        "32x16", "--images", "1", "--camera-presence", "1");
    assertThat(r.status()).as(r.err()).isZero();
    // 9 identities x 6 cameras x 1 image: 36 visible + 18 infrared
    assertThat(r.out()).contains("SYSU-MM01").contains("54 images").contains("training ids 6")
        .contains("24 visible + 12 infrared").contains("test ids     3").contains("12 visible (cams 1,2,4,5) + 6 "
            + "infrared");
    assertThat(out.resolve("exp/test_id.txt")).isRegularFile();
    assertThat(out.resolve("cam3")).isDirectory();
  }

  @Test
  void writesARegdbLayout() {
    Path out = dir.resolve("r");
    Result r = run("synth", "--layout", "regdb", "--out", out.toString(), "--ids", "4", "--test-ids", "2", "--size",
        "32x16", "--images", "2");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("RegDB").contains("24 images").contains("trial 1: training ids 4 (8 visible + 8 "
        + "thermal images), test ids 2 (4 visible + 4 thermal)");
    assertThat(out.resolve("idx/test_thermal_10.txt")).isRegularFile();
  }

  @Test
  void writesTheFactorFileAndRecordsTheDifficultyAndSubset() throws Exception {
    Path out = dir.resolve("lab");
    Result r = run("synth", "--layout", "sysu", "--out", out.toString(), "--ids", "10", "--test-ids", "3", "--size",
        "32x16", "--visible-images", "6", "--infrared-images", "2", "--subset", "4", "--contrast", "0.3",
        "--nuisance", "0.5", "--occlusion", "0", "--places", "3", "--correlation", "0.5");
    assertThat(r.status()).as(r.err()).isZero();
    // 4 + 3 identities, 6 + 2 images each
    assertThat(r.out()).contains("generator version 2").contains("56 images").contains("training ids 4")
        .contains("(subset 4 of 10)").contains("24 visible + 8 infrared").contains("factors of every image in "
            + out.resolve("factors.csv"));
    assertThat(Files.readAllLines(out.resolve("factors.csv"))).hasSize(1 + 56);
    assertThat(Files.readString(out.resolve("synthetic.txt"))).isEqualTo("""
        version=2
        layout=sysu
        trainIds=10
        testIds=3
        height=32
        width=16
        visibleImages=6
        infraredImages=2
        cameraPresence=0.75
        seed=1
        contrast=0.3
        nuisance=0.5
        occlusion=0.0
        places=3
        correlation=0.5
        subset=4
        """);
  }

  @Test
  void badInputGivesOneLineAndStatus2() throws Exception {
    Result layout = run("synth", "--layout", "market", "--out", dir.resolve("x").toString());
    assertThat(layout.status()).isEqualTo(2);
    assertThat(layout.err().strip()).isEqualTo("ibreid: --layout 'market' is unknown; expected sysu or regdb");
    Result size = run("synth", "--layout", "sysu", "--out", dir.resolve("x").toString(), "--size", "big");
    assertThat(size.err().strip()).isEqualTo("ibreid: --size 'big' is not HxW; expected e.g. 128x64");
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("a.txt"), "a");
    Result exists = run("synth", "--layout", "regdb", "--out", full.toString(), "--ids", "2", "--test-ids", "1");
    assertThat(exists.status()).isEqualTo(2);
    assertThat(exists.err().strip()).startsWith("ibreid: synthetic output " + full).contains("not empty")
        .doesNotContain("\n");
    Result contrast = run("synth", "--layout", "sysu", "--out", dir.resolve("y").toString(), "--contrast", "0.9");
    assertThat(contrast.status()).isEqualTo(2);
    assertThat(contrast.err().strip()).isEqualTo("ibreid: synthetic contrast 0.9 is out of range; expected 0..0.5");
    Result regdb = run("synth", "--layout", "regdb", "--out", dir.resolve("z").toString(), "--visible-images", "3");
    assertThat(regdb.err().strip()).startsWith("ibreid: --visible-images and --infrared-images are for --layout "
        + "sysu");
    assertThat(dir.resolve("y")).doesNotExist();
    assertThat(dir.resolve("z")).doesNotExist();
  }
}
