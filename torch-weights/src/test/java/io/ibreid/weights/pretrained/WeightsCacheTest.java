package io.ibreid.weights.pretrained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import io.ibreid.weights.Fixtures;
import io.ibreid.weights.StateDict;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads, hash checks and the offline message, on local files only (file: URLs and a closed local port). */
class WeightsCacheTest {
  @TempDir
  Path tmp;

  /** A copy of a fixture named NAME-HASH.pth with its own SHA-256 prefix, in a folder serving as the mirror. */
  Path served(String stem) throws IOException {
    byte[] content = Files.readAllBytes(Fixtures.path("resnet18-w2.pth"));
    String hash = WeightsCache.sha256(new ByteArrayInputStream(content), Long.MAX_VALUE, null).substring(0, 8);
    Path mirror = Files.createDirectories(tmp.resolve("mirror"));
    return Files.write(mirror.resolve(stem + "-" + hash + ".pth"), content);
  }

  static List<String> list(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aDownloadIsCheckedAndRenamedIntoTheFolder() throws IOException {
    Path source = served("net");
    Path cacheFolder = tmp.resolve("cache");
    WeightsCache cache = new WeightsCache(cacheFolder, List.of(), "file:/nowhere/");
    Path got = cache.get(source.toUri().toString());
    assertThat(got).isEqualTo(cacheFolder.resolve(source.getFileName()));
    assertThat(Files.readAllBytes(got)).isEqualTo(Files.readAllBytes(source));
    assertThat(list(cacheFolder)).containsExactly(source.getFileName().toString()); // no .part left
    assertThat(StateDict.read(got).differences(Fixtures.stateDict("resnet18-w2.pth"))).isEmpty();
    Files.delete(source);
    assertThat(cache.get(source.toUri().toString())).isEqualTo(got); // found, not downloaded again
  }

  @Test
  void aDownloadOfAnotherHashLeavesNothingBehind() throws IOException {
    Path source = served("net");
    Path wrong = Files.move(source, source.resolveSibling("net-0123abcd.pth"));
    Path cacheFolder = tmp.resolve("cache");
    WeightsCache cache = new WeightsCache(cacheFolder, List.of(), "file:/nowhere/");
    assertThatThrownBy(() -> cache.get(wrong.toUri().toString())).isInstanceOf(IbreidException.class)
        .hasMessageMatching("\\Q" + wrong.toUri() + "\\E: the downloaded file's SHA-256 starts with [0-9a-f]{8}, its "
            + "name says 0123abcd; nothing was written")
        .hasMessageNotContaining("\n");
    assertThat(list(cacheFolder)).isEmpty();
  }

  @Test
  void aFileAtHandWithAnotherHashIsRefused() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("cache"));
    Path fake = Files.copy(Fixtures.path("resnet18-w2.pth"), folder.resolve("resnet50-19c8e357.pth"));
    WeightsCache cache = new WeightsCache(folder, List.of(), "file:/nowhere/");
    assertThatThrownBy(() -> cache.imagenet(TorchvisionResNet.RESNET50)).isInstanceOf(IbreidException.class)
        .hasMessageMatching("\\Q" + fake + "\\E: SHA-256 starts with [0-9a-f]{8}, its name says 19c8e357: a damaged "
            + "or different file; delete it to download it again");
  }

  @Test
  void offlineItSaysInOneLineWhichFileToPutWhere() throws IOException {
    Path folder = tmp.resolve("cache");
    String mirror = tmp.toUri() + "no-mirror/";
    WeightsCache cache = new WeightsCache(folder, List.of(tmp.resolve("torch-hub")), mirror);
    assertThatThrownBy(() -> cache.imagenet(TorchvisionResNet.RESNET50)).isInstanceOf(IbreidException.class)
        .hasMessageStartingWith("cannot download " + mirror + "resnet50-0676ba61.pth (FileNotFoundException: ")
        .hasMessageEndingWith("): put that file at " + folder.resolve("resnet50-0676ba61.pth") + " (downloaded on a "
            + "machine with network access), or set ibreid.weights.dir / IBREID_WEIGHTS_DIR to a folder that holds it")
        .hasMessageNotContaining("\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    WeightsCache closed = new WeightsCache(folder, List.of(), "http://127.0.0.1:" + port + "/models/");
    assertThatThrownBy(() -> closed.imagenet(TorchvisionResNet.RESNET18)).isInstanceOf(IbreidException.class)
        .hasMessageContaining("(ConnectException: ")
        .hasMessageContaining("put that file at " + folder.resolve("resnet18-f37072fd.pth"));
    assertThat(list(folder)).isEmpty();
  }

  @Test
  void aFileInTorchsHubCacheIsUsedWhereItIs() throws IOException {
    Path source = served("resnet18");
    Path hub = Files.createDirectories(tmp.resolve("hub"));
    Path there = Files.copy(source, hub.resolve(source.getFileName()));
    WeightsCache cache = new WeightsCache(tmp.resolve("cache"), List.of(hub), "file:/nowhere/");
    assertThat(cache.get("https://download.pytorch.org/models/" + source.getFileName())).isEqualTo(there);
    assertThat(list(tmp.resolve("cache"))).isEmpty();
  }

  @Test
  void aNameWithoutAHashIsRefused() {
    WeightsCache cache = new WeightsCache(tmp, List.of(), "file:/nowhere/");
    assertThatThrownBy(() -> cache.get("https://example.org/weights/model.pth")).isInstanceOf(IbreidException.class)
        .hasMessage("model.pth: no SHA-256 prefix in the file name (expected NAME-HASH.pth, as torchvision names its "
            + "files)");
  }

  @Test
  void foldersComeFromThePropertyTheEnvironmentOrTheUsersCache() {
    Properties none = new Properties();
    Properties set = new Properties();
    set.setProperty("ibreid.weights.dir", "/p");
    assertThat(WeightsCache.defaultFolder(set, Map.of("IBREID_WEIGHTS_DIR", "/e"))).isEqualTo(Path.of("/p"));
    assertThat(WeightsCache.defaultFolder(none, Map.of("IBREID_WEIGHTS_DIR", "/e"))).isEqualTo(Path.of("/e"));
    assertThat(WeightsCache.defaultFolder(none, Map.of("XDG_CACHE_HOME", "/x"))).isEqualTo(Path.of("/x/ibreid/weights"));
    assertThat(WeightsCache.defaultFolder(none, Map.of()))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "ibreid", "weights"));
    assertThat(WeightsCache.torchHubFolder(Map.of("TORCH_HOME", "/t"))).isEqualTo(Path.of("/t/hub/checkpoints"));
    assertThat(WeightsCache.torchHubFolder(Map.of()))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "torch", "hub", "checkpoints"));
  }
}
