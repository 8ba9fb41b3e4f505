package io.ibreid.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config files that used to be read silently or with a message naming nothing (issue 29). */
class ConfigInputTest {
  @TempDir
  Path dir;

  @Test
  void aDuplicateKeyIsRefusedNamingItsPathAndLine() throws Exception {
    Path f = dir.resolve("dup.yaml");
    Files.writeString(f, ConfigLoaderTest.YAML + "seed: 4\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, List.of())).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config file " + f + " has the key [seed] twice (line ")
        .hasMessageEndingWith("); expected each key once");
    Files.writeString(f, ConfigLoaderTest.YAML.replace("params: {classes: 5}", "params: {classes: 5, classes: 6}"));
    assertThatThrownBy(() -> ConfigLoader.load(f, List.of()))
        .hasMessage("config file " + f + " has the key [data.params.classes] twice (line 3); expected each key once");
    assertThatThrownBy(() -> ConfigLoader.parse(ConfigLoaderTest.YAML, List.of("data.params={a: 1, a: 2}")))
        .hasMessage("override [data.params={a: 1, a: 2}]: the value has the key [a] twice");
  }

  @Test
  void aConfigThatIsNotUtf8NamesTheByteAndItsOffset() throws Exception {
    Path f = dir.resolve("latin1.yaml");
    Files.write(f, "name: caf\u00e9\nseed: 3\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> ConfigLoader.load(f, List.of())).isInstanceOf(ConfigException.class)
        .hasMessage("config file " + f + " is not UTF-8 text: byte 0xE9 at offset 9 (line 1) is not valid UTF-8; "
            + "save the file as UTF-8");
    Files.write(f, ("\uFEFF" + ConfigLoaderTest.YAML).getBytes(StandardCharsets.UTF_8));
    assertThat(ConfigLoader.load(f, List.of()).name).isEqualTo("test");
  }

  @Test
  void anEmptyOrUnsetDataRootIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.parse(ConfigLoaderTest.YAML, List.of("data.root=")))
        .hasMessageStartingWith("config key [data.root] = []: expected the data set's folder");
    assertThatThrownBy(() -> ConfigLoader.parse(ConfigLoaderTest.YAML, List.of("data.root=~")))
        .hasMessageStartingWith("config key [data.root]: expected the data set's folder");
  }

  @Test
  void anInputSizeNoArrayCanHoldIsRefusedNamingTheKeysAndASizeThatCan() {
    // 3 x 100000 x 100000 x 6 images overflows an int (the array size) and used to be NegativeArraySizeException
    assertThatThrownBy(() -> ConfigLoader.parse(ConfigLoaderTest.YAML, List.of("input.height=100000",
        "input.width=100000"))).isInstanceOf(ConfigException.class)
        .hasMessage("config key [input.height] x [input.width] = 100000 x 100000: a training batch of 6 images per "
            + "modality would hold 180000000000 values, more than one array can (2147483639); at most about 10922 x "
            + "10922 can, and far less fits in memory");
    assertThat(3L * 10922 * 10922 * 6).isLessThanOrEqualTo(Integer.MAX_VALUE - 8);
    assertThat(3L * 10923 * 10923 * 6).isGreaterThan(Integer.MAX_VALUE - 8);
    assertThatThrownBy(() -> ConfigLoader.parse(ConfigLoaderTest.YAML, List.of("input.height=2147483647",
        "input.width=2147483647"))).hasMessageContaining("would hold more than 9223372036854775807 values");
  }
}
