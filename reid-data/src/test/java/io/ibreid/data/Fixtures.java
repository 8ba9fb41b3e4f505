package io.ibreid.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.IbreidException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/** Hand-built data set folders for reader tests: tiny images written with ImageIO. */
public final class Fixtures {
  private Fixtures() {}

  /** A small image of random colour blocks. */
  public static BufferedImage image(int height, int width, long seed) {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, ((y / 4) * 7919 + (x / 4) * 104729 + (int) seed * 31) & 0xFFFFFF ^ r.nextInt(16));
      }
    }
    return img;
  }

  /** Writes an image file; the format follows the extension (jpg, png, bmp). */
  public static Path write(Path file, int height, int width, long seed) {
    try {
      Files.createDirectories(file.getParent());
      String name = file.getFileName().toString();
      String format = name.substring(name.lastIndexOf('.') + 1).toLowerCase();
      if (format.equals("jpg")) {
        format = "jpeg";
      }
      if (!ImageIO.write(image(height, width, seed), format, file.toFile())) {
        throw new IllegalStateException("no writer for " + format);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void text(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A SYSU-MM01 folder: id lists, and for each identity the cameras that saw it ({@code cams}), with
   * {@code perCamera} 16×8 JPGs each. Empty camera folders cam1..cam6 are always created.
   */
  public static Path sysu(Path root, List<Integer> train, List<Integer> val, List<Integer> test,
      Map<Integer, List<Integer>> cams, int perCamera) {
    return sysu(root, train, val, test, cams, perCamera, (pid, camera, k) -> new int[] {16, 8});
  }

  /**
   * The small SYSU-MM01 folder several tests share: train ids 3, 7; val id 12; test ids 20, 21; id 3 in cameras 1
   * and 3, id 7 in 1, 3 and 6, id 12 in 2 and 3, id 20 in all six, id 21 in 5 and 6; two JPGs per camera, each of
   * the size {@code size} gives.
   */
  public static Path smallSysu(Path root, ImageSize size) {
    Map<Integer, List<Integer>> cams = new TreeMap<>();
    cams.put(3, List.of(1, 3));
    cams.put(7, List.of(1, 3, 6));
    cams.put(12, List.of(2, 3));
    cams.put(20, List.of(1, 2, 3, 4, 5, 6));
    cams.put(21, List.of(5, 6));
    return sysu(root, List.of(3, 7), List.of(12), List.of(20, 21), cams, 2, size);
  }

  /** {@link #smallSysu(Path, ImageSize)} with 16×8 JPGs. */
  public static Path smallSysu(Path root) {
    return smallSysu(root, (pid, camera, k) -> new int[] {16, 8});
  }

  /** An image's width and height in {@link #sysu(Path, List, List, List, Map, int, ImageSize)}'s layout. */
  @FunctionalInterface
  public interface ImageSize {
    /** {width, height} of image {@code k} (1-based) of identity {@code pid} in camera {@code camera}. */
    int[] of(int pid, int camera, int k);
  }

  /** As {@link #sysu(Path, List, List, List, Map, int)}, with each image's size given by {@code size}. */
  public static Path sysu(Path root, List<Integer> train, List<Integer> val, List<Integer> test,
      Map<Integer, List<Integer>> cams, int perCamera, ImageSize size) {
    for (int c = 1; c <= 6; c++) {
      try {
        Files.createDirectories(root.resolve("cam" + c));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    text(root.resolve("exp/train_id.txt"), join(train));
    text(root.resolve("exp/val_id.txt"), join(val));
    text(root.resolve("exp/test_id.txt"), join(test));
    cams.forEach((pid, cs) -> {
      for (int c : cs) {
        for (int k = 1; k <= perCamera; k++) {
          int[] wh = size.of(pid, c, k);
          write(root.resolve(String.format("cam%d/%04d/%04d.jpg", c, pid, k)), wh[0], wh[1], pid * 100L + c * 10 + k);
        }
      }
    });
    return root;
  }

  private static String join(List<Integer> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** Asserts that the message is one line and names {@code path}; returns it. */
  public static String oneLineNaming(IbreidException e, Object path) {
    assertThat(e.getMessage()).doesNotContain("\n").contains(path.toString());
    return e.getMessage();
  }
}
