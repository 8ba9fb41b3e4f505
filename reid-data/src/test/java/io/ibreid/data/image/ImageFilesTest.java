package io.ibreid.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ibreid.core.IbreidException;
import io.ibreid.data.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  @TempDir
  Path dir;

  @Test
  void decodesJpgPngAndBmp() {
    for (String ext : new String[] {"jpg", "png", "bmp"}) {
      Path p = Fixtures.write(dir.resolve("a." + ext), 12, 6, 3);
      BufferedImage img = ImageFiles.decode(p);
      assertThat(img.getHeight()).isEqualTo(12);
      assertThat(img.getWidth()).isEqualTo(6);
    }
  }

  @Test
  void missingFileNamesThePath() {
    Path p = dir.resolve("nope.jpg");
    IbreidException e = catchThrowableOfType(IbreidException.class, () -> ImageFiles.decode(p));
    assertThat(Fixtures.oneLineNaming(e, p)).contains("does not exist");
  }

  @Test
  void zeroByteFileIsRejected() throws Exception {
    Path p = Files.createFile(dir.resolve("empty.jpg"));
    IbreidException e = catchThrowableOfType(IbreidException.class, () -> ImageFiles.checkHeader(p));
    assertThat(Fixtures.oneLineNaming(e, p)).contains("empty (0 bytes)");
  }

  @Test
  void textFileWithImageNameIsNotAnImage() {
    Path p = dir.resolve("notes.jpg");
    Fixtures.text(p, "hello, I am not a picture\n");
    IbreidException e = catchThrowableOfType(IbreidException.class, () -> ImageFiles.checkHeader(p));
    assertThat(Fixtures.oneLineNaming(e, p)).contains("not a JPG, PNG or BMP image");
  }

  @Test
  void garbageAfterJpegSignatureIsCorrupt() throws Exception {
    Path p = dir.resolve("garbage.jpg");
    byte[] b = new byte[500];
    new java.util.Random(1).nextBytes(b);
    b[0] = (byte) 0xFF;
    b[1] = (byte) 0xD8;
    b[2] = (byte) 0xFF;
    Files.write(p, b);
    ImageFiles.checkHeader(p); // the cheap test passes: the signature is right
    IbreidException e = catchThrowableOfType(IbreidException.class, () -> ImageFiles.decode(p));
    assertThat(Fixtures.oneLineNaming(e, p)).contains("corrupt");
  }

  @Test
  void truncatedJpegIsCorrupt() throws Exception {
    Path whole = Fixtures.write(dir.resolve("whole.jpg"), 64, 32, 5);
    byte[] b = Files.readAllBytes(whole);
    Path p = dir.resolve("cut.jpg");
    Files.write(p, Arrays.copyOf(b, b.length / 2));
    IbreidException e = catchThrowableOfType(IbreidException.class, () -> ImageFiles.decode(p));
    assertThat(Fixtures.oneLineNaming(e, p)).contains("corrupt");
  }

  @Test
  void extensionsAreCaseInsensitive() {
    assertThat(ImageFiles.hasImageExtension(Path.of("a.JPG"))).isTrue();
    assertThat(ImageFiles.hasImageExtension(Path.of("a.jpeg"))).isTrue();
    assertThat(ImageFiles.hasImageExtension(Path.of("a.txt"))).isFalse();
    assertThat(ImageFiles.hasImageExtension(Path.of("jpg"))).isFalse();
  }
}
