package io.ibreid.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixtures PyTorch wrote (src/test/python/make_fixtures.py; its header lists them), as files: for this
 * module's tests and, through the test-jar, other modules' (the ResNet forward-equality tests). A fixture on a
 * directory class path is returned where it is; one inside a jar is copied once to a temporary folder.
 */
public final class Fixtures {
  /** The class-path folder of the fixtures. */
  public static final String ROOT = "io/ibreid/weights/fixtures/";

  private static Path extracted;

  private Fixtures() {}

  /** A fixture file, e.g. {@code resnet50-w4.pth} or {@code resnet50-w4/eval-ls1-f64/pool.npy}. */
  public static synchronized Path path(String name) {
    URL url = Fixtures.class.getClassLoader().getResource(ROOT + name);
    if (url == null) {
      throw new IllegalArgumentException("no fixture " + ROOT + name + " on the class path");
    }
    try {
      if (url.getProtocol().equals("file")) {
        return Path.of(url.toURI());
      }
      if (extracted == null) {
        extracted = Files.createTempDirectory("torch-weights-fixtures");
        extracted.toFile().deleteOnExit();
      }
      Path target = extracted.resolve(name);
      if (!Files.exists(target)) {
        Files.createDirectories(target.getParent());
        Path d = extracted;
        for (Path part : extracted.relativize(target.getParent())) { // outer folders first: exit deletes in
          d = d.resolve(part);                                       // reverse order, so after their files
          d.toFile().deleteOnExit();
        }
        try (InputStream in = url.openStream()) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        target.toFile().deleteOnExit();
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fixture read as a state dict. */
  public static StateDict stateDict(String name) {
    return StateDict.read(path(name));
  }

  /**
   * torchvision's own state-dict layout of {@code network} ({@code resnet50}, ...: key to shape, in torchvision's
   * order, the 0-d {@code num_batches_tracked} buffers and {@code fc} included), as
   * src/test/python/torchvision_state_dicts.py wrote it from {@code torchvision.models.resnet50()} etc.
   */
  public static Map<String, List<Long>> torchvisionStateDict(String network) {
    try {
      JsonNode rows = new ObjectMapper().readTree(path("torchvision-state-dicts.json").toFile()).path("state_dicts")
          .path(network);
      if (!rows.isArray() || rows.isEmpty()) {
        throw new IllegalArgumentException("torchvision-state-dicts.json has no " + network);
      }
      Map<String, List<Long>> out = new LinkedHashMap<>();
      for (JsonNode r : rows) {
        List<Long> shape = new ArrayList<>();
        r.path("shape").forEach(d -> shape.add(d.asLong()));
        out.put(r.path("key").asText(), List.copyOf(shape));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture .npy read as a tensor. */
  public static Tensor npy(String name) {
    return Npy.read(path(name));
  }
}
