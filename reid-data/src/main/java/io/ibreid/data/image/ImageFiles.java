package io.ibreid.data.image;

import io.ibreid.core.IbreidException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks and decodes image files (JPG, PNG, BMP) with {@code javax.imageio}. Every failure is an
 * {@link IbreidException} whose one line names the file and what was expected.
 *
 * <p>{@link #checkHeader(Path)} is the cheap test a reader runs on every listed file (exists, not empty, starts with
 * a JPG/PNG/BMP signature). {@link #decode(Path)} is the full test: a file that cannot be decoded, or a JPEG that
 * the decoder reports as truncated, is corrupt.
 */
public final class ImageFiles {
  private static final Logger LOG = LoggerFactory.getLogger(ImageFiles.class);

  /** File name extensions taken for images (lower case, without the dot). */
  public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp");

  static {
    ImageIO.setUseCache(false);
  }

  private ImageFiles() {}

  /** Whether the file name ends in one of {@link #EXTENSIONS}. */
  public static boolean hasImageExtension(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot >= 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** Throws unless {@code p} exists, is not empty and starts with a JPG, PNG or BMP signature. */
  public static void checkHeader(Path p) {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(p)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (NoSuchFileException e) {
      throw new IbreidException("image " + p + " does not exist; expected a JPG, PNG or BMP file there");
    } catch (IOException e) {
      throw new IbreidException("image " + p + " cannot be read (" + e.getMessage() + "); expected a readable "
          + "JPG, PNG or BMP file");
    }
    if (n == 0) {
      throw new IbreidException("image " + p + " is empty (0 bytes); expected a JPG, PNG or BMP image");
    }
    if (format(head, n) == null) {
      throw new IbreidException("image " + p + " is not a JPG, PNG or BMP image (unknown file signature); "
          + "expected an image file");
    }
  }

  /** The format a file signature names ({@code jpeg}, {@code png}, {@code bmp}), or null. */
  static String format(byte[] h, int n) {
    if (n >= 3 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8 && (h[2] & 0xFF) == 0xFF) {
      return "jpeg";
    }
    if (n >= 4 && (h[0] & 0xFF) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') {
      return "png";
    }
    if (n >= 2 && h[0] == 'B' && h[1] == 'M') {
      return "bmp";
    }
    return null;
  }

  /** Decodes an image; fails with one line naming the file when it is missing, empty, not an image or corrupt. */
  public static BufferedImage decode(Path p) {
    checkHeader(p);
    List<String> warnings = new ArrayList<>();
    BufferedImage image;
    try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
      if (in == null) {
        throw new IbreidException("image " + p + " cannot be opened; expected a readable JPG, PNG or BMP file");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IbreidException("image " + p + " is corrupt: no decoder recognises it; expected a JPG, PNG or "
            + "BMP image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IbreidException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
          .orElse("");
      throw new IbreidException("image " + p + " is corrupt: " + why + "; expected a decodable JPG, PNG or BMP image");
    }
    for (String w : warnings) {
      String lw = w.toLowerCase(Locale.ROOT);
      if (lw.contains("truncated") || lw.contains("premature end")) {
        throw new IbreidException("image " + p + " is corrupt: " + w + "; expected a complete image file");
      }
      LOG.debug("decoder warning for {}: {}", p, w);
    }
    if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
      throw new IbreidException("image " + p + " is corrupt: it decodes to no pixels; expected an image");
    }
    return image;
  }
}
