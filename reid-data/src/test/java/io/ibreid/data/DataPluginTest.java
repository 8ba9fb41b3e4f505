package io.ibreid.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ibreid.core.ConfigException;
import io.ibreid.core.IbreidException;
import io.ibreid.core.data.DataContext;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.data.synthetic.SyntheticGenerator;
import io.ibreid.data.training.RegdbDataset;
import io.ibreid.data.training.SyntheticDataset;
import io.ibreid.data.training.SysuDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPluginTest {
  @TempDir
  Path dir;

  private static final Map<String, Object> TINY = Map.of("ids", 4, "testIds", 2, "height", 32, "width", 16,
      "images", 1, "cameraPresence", 1.0);

  private DataContext context(Path root) {
    return new DataContext(root, ImageShape.rgb(32, 16), 2, 2, 3, 1);
  }

  private static DatasetFactory<?> dataset(String name) {
    return Plugins.discover().get(DatasetFactory.KIND, name);
  }

  @Test
  void serviceLoaderFindsTheDataPlugin() {
    assertThat(ServiceLoader.load(IbreidPlugin.class).stream().map(ServiceLoader.Provider::type))
        .contains(DataPlugin.class);
    Plugins plugins = Plugins.discover();
    assertThat(plugins.get(DatasetFactory.KIND, "sysu")).isInstanceOf(SysuDataset.Factory.class);
    assertThat(plugins.get(DatasetFactory.KIND, "regdb")).isInstanceOf(RegdbDataset.Factory.class);
    assertThat(plugins.get(DatasetFactory.KIND, "synthetic-sysu")).isInstanceOf(SyntheticDataset.SysuFactory.class);
    assertThat(plugins.get(DatasetFactory.KIND, "synthetic-regdb")).isInstanceOf(SyntheticDataset.RegdbFactory.class);
  }

  @Test
  void syntheticSysuGeneratesIntoAnEmptyRootOnceAndReadsIt() throws Exception {
    Path root = dir.resolve("data/synthetic-sysu");
    var factory = dataset("synthetic-sysu");
    try (TrainingSet set = factory.fromConfig(TINY, "data.params", context(root))) {
      assertThat(set.numClasses()).isEqualTo(4);
      assertThat(set.epoch(0, 0).next().pairs()).isEqualTo(2);
      assertThat(set.describe()).contains("synthetic-sysu");
    }
    Path list = root.resolve("exp/train_id.txt");
    assertThat(list).isRegularFile();
    FileTime written = Files.getLastModifiedTime(list);
    Files.setLastModifiedTime(list, FileTime.fromMillis(written.toMillis() - 60_000));
    // opening again uses what is there (asking for other parameters only warns)
    try (TrainingSet set = factory.fromConfig(Map.of("ids", 4, "testIds", 2, "height", 32, "width", 16,
        "images", 2), "data.params", context(root))) {
      assertThat(set.numClasses()).isEqualTo(4);
    }
    assertThat(Files.getLastModifiedTime(list).toMillis()).isEqualTo(written.toMillis() - 60_000);
  }

  @Test
  void syntheticRegdbReadsTheRequestedTrial() {
    Path root = dir.resolve("regdb");
    var factory = dataset("synthetic-regdb");
    Map<String, Object> params = new java.util.HashMap<>(TINY);
    params.put("trial", 3);
    try (TrainingSet set = factory.fromConfig(params, "data.params", context(root))) {
      assertThat(set.numClasses()).isEqualTo(4);
      assertThat(set.describe()).contains("trial 3");
    }
  }

  @Test
  void sysuAndRegdbReadExistingSets() {
    Path sysu = dir.resolve("s");
    SyntheticGenerator.generate(SyntheticGenerator.Spec.of(SyntheticGenerator.Layout.SYSU, 5, 2, 32, 16, 1, 1, 1),
        sysu, 1);
    try (TrainingSet set = dataset("sysu").fromConfig(Map.of("holdout", 1), "data.params",
        context(sysu))) {
      assertThat(set.numClasses()).isEqualTo(4);
    }
    Path regdb = dir.resolve("r");
    SyntheticGenerator.generate(SyntheticGenerator.Spec.of(SyntheticGenerator.Layout.REGDB, 5, 2, 32, 16, 2, 1, 1),
        regdb, 1);
    try (TrainingSet set = dataset("regdb").fromConfig(Map.of("trial", 10), "data.params",
        context(regdb))) {
      assertThat(set.numClasses()).isEqualTo(5);
    }
  }

  @Test
  void dataSourcesOpenTheReaderBehindAConfigWithTheSameHoldoutAndTrial() {
    Path root = dir.resolve("eval-sysu");
    Map<String, Object> params = new java.util.HashMap<>(TINY);
    params.put("holdout", 1);
    CrossModalSource source = DataSources.open("synthetic-sysu", root, params, 1);
    try (TrainingSet set = dataset("synthetic-sysu").fromConfig(params, "data.params",
        context(root))) {
      assertThat(source.train().numClasses()).isEqualTo(set.numClasses()).isEqualTo(3);
    }
    assertThat(source.holdoutIds()).hasSize(1);
    assertThat(source.testIds()).hasSize(2).doesNotContainAnyElementsOf(source.holdoutIds());
    assertThat(source.testRecords()).isNotEmpty();
    Map<String, Object> regdb = new java.util.HashMap<>(TINY);
    regdb.put("trial", 4);
    CrossModalSource r = DataSources.open("synthetic-regdb", dir.resolve("eval-regdb"), regdb, 1);
    assertThat(((io.ibreid.data.regdb.RegDb) r).trial()).isEqualTo(4);
    IbreidException unknown = catchThrowableOfType(IbreidException.class,
        () -> DataSources.open("market1501", root, Map.of(), 1));
    assertThat(unknown.getMessage()).contains("data.type [market1501]");
  }

  @Test
  void badParametersAndMissingDataGiveOneLine() {
    Plugins plugins = Plugins.discover();
    ConfigException unknown = catchThrowableOfType(ConfigException.class,
        () -> plugins.get(DatasetFactory.KIND, "sysu").fromConfig(Map.of("trail", 2), "data.params", context(dir)));
    assertThat(unknown.getMessage()).contains("data.params.trail");
    IbreidException trial = catchThrowableOfType(IbreidException.class,
        () -> plugins.get(DatasetFactory.KIND, "regdb").fromConfig(Map.of("trial", 11), "data.params", context(dir)));
    assertThat(trial.getMessage()).contains("trial 11").doesNotContain("\n");
    Path missing = dir.resolve("no-such-sysu");
    IbreidException root = catchThrowableOfType(IbreidException.class,
        () -> plugins.get(DatasetFactory.KIND, "sysu").fromConfig(Map.of(), "data.params", context(missing)));
    assertThat(Fixtures.oneLineNaming(root, missing)).contains("does not exist");
    IbreidException pad = catchThrowableOfType(IbreidException.class,
        () -> plugins.get(DatasetFactory.KIND, "synthetic-sysu").fromConfig(Map.of("ids", 4, "testIds", 2,
            "height", 32, "width", 16, "images", 1, "pad", -3), "data.params", context(dir.resolve("x"))));
    assertThat(pad.getMessage()).contains("data.params.pad");
  }
}
