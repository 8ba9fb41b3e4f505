package io.ibreid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.ConfigException;
import io.ibreid.core.config.ConfigValidator;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.data.synthetic.Lab;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.training.SyntheticDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The configs shipped in the jar: exactly the repository's configs/, loadable by name, each naming known plug-ins. */
class ShippedConfigsTest {
  static final Path CONFIGS = Path.of("").toAbsolutePath().getParent().resolve("configs");

  static TreeSet<String> folder() throws IOException {
    try (Stream<Path> s = Files.list(CONFIGS)) {
      return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
          .map(f -> f.substring(0, f.length() - 5)).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void theJarShipsEveryConfigOfTheFolderAndEachLoadsByNameWithPluginsTheFacadeBrings() throws IOException {
    assertThat(Ibreid.configs()).containsExactlyElementsOf(folder()).contains("demo", "tiny", "full");
    Plugins plugins = Ibreid.plugins();
    for (String name : Ibreid.configs()) {
      RunConfig c = Ibreid.config(name);
      assertThat(c.name).as(name).isEqualTo(name);
      ConfigValidator.validate(c, plugins);
    }
  }

  @Test
  void overridesApplyInOrderAndTheConfigIsTheFilesContent() {
    RunConfig demo = Ibreid.config("demo", "schedule.epochs=2", "data.root=elsewhere", "schedule.epochs=3");
    assertThat(demo.schedule.epochs).isEqualTo(3);
    assertThat(demo.data.root).isEqualTo("elsewhere");
    RunConfig fromFile = Ibreid.config(CONFIGS.resolve("demo.yaml"), "schedule.epochs=3", "data.root=elsewhere");
    assertThat(demo.toString()).isEqualTo(fromFile.toString());
    assertThat(Ibreid.config("tiny", List.of("seed=4")).seed).isEqualTo(4);
  }

  @Test
  void anUnknownNameIsOneLineListingTheKnownOnes() {
    assertThatThrownBy(() -> Ibreid.config("dmeo")).isExactlyInstanceOf(ConfigException.class)
        .hasMessage("no shipped config named [dmeo]; known: " + Ibreid.configs());
    assertThatThrownBy(() -> Ibreid.config("configs/demo.yaml")).isExactlyInstanceOf(ConfigException.class)
        .hasMessage("no shipped config named [configs/demo.yaml]; known: " + Ibreid.configs()
            + " (a file is read with Ibreid.config(Path.of(\"configs/demo.yaml\")))");
    assertThatThrownBy(() -> Ibreid.config(" ")).isExactlyInstanceOf(ConfigException.class)
        .hasMessage("shipped config name is empty; expected one of " + Ibreid.configs());
    assertThatThrownBy(() -> Ibreid.config("tiny", "schedule.epochz=2")).isExactlyInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config key [schedule.epochz] is not known (in shipped config tiny)");
  }

  @Test
  void tinyAsksForTheSmallLabAndPrintsReadably() {
    RunConfig tiny = Ibreid.config("tiny");
    SyntheticDataset.Params p = new SyntheticDataset.SysuFactory().bind(tiny.data.params, "data.params");
    assertThat(p.spec(Layout.SYSU)).isEqualTo(Lab.small());
    assertThat(tiny.toString()).isEqualTo("RunConfig[tiny: synthetic-sysu at data/lab-tiny, input 64x32, branches "
        + "{visible: fast-resnet + mlp, infrared: fast-resnet + mlp, shared: fast-resnet + mlp}, losses [ce@visible, "
        + "ce@visible, triplet@visible, triplet@visible, ce@infrared, ce@infrared, triplet@infrared, triplet@infrared, "
        + "ce@shared, ce@shared, triplet@shared, triplet@shared, vsd@visible, vsd@infrared, vcd@shared, vml@shared], "
        + "3 epochs x 5 batches]");
  }
}
