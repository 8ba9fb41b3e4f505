package io.ibreid.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.core.observation.ImageShape;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageLoaderTest {
  @TempDir
  Path dir;

  /** 1D helper: a 1×n single-channel image. */
  private static FloatImage row(float... v) {
    return new FloatImage(1, 1, v.length, v.clone());
  }

  @Test
  void downscaleByTwoUsesTheWidenedTriangleFilter() {
    // output 0 is centred at 1.0 in source coordinates; the filter half-width is 2, so source pixels at 0.5, 1.5
    // and 2.5 get weights 0.75, 0.75, 0.25 (normalised by 1.75)
    FloatImage out = Resize.resize(row(0, 0, 1, 1), 1, 2);
    assertThat(out.data()[0]).isCloseTo(1f / 7, within(1e-6f));
    assertThat(out.data()[1]).isCloseTo(6f / 7, within(1e-6f));
  }

  @Test
  void upscaleByTwoInterpolatesLinearly() {
    FloatImage out = Resize.resize(row(0, 1), 1, 4);
    // centres 0.25, 0.75, 1.25, 1.75 in source coordinates; source centres 0.5 and 1.5; clamped at the borders
    assertThat(out.data()).containsExactly(new float[] {0f, 0.25f, 0.75f, 1f}, within(1e-6f));
  }

  @Test
  void constantImageStaysConstantAtAnySize() {
    FloatImage f = new FloatImage(3, 37, 19);
    java.util.Arrays.fill(f.data(), 0.3f);
    FloatImage out = Resize.resize(f, 64, 32);
    for (float v : out.data()) {
      assertThat(v).isCloseTo(0.3f, within(1e-6f));
    }
    assertThat(Resize.resize(f, 37, 19)).isSameAs(f);
  }

  @Test
  void loadsBmpPixelsExactlyAndNormalisesWithImageNetStatistics() throws Exception {
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_3BYTE_BGR);
    img.setRGB(0, 0, 0xFF0000);
    img.setRGB(1, 0, 0x00FF00);
    img.setRGB(0, 1, 0x0000FF);
    img.setRGB(1, 1, 0x808080);
    Path p = dir.resolve("px.bmp");
    ImageIO.write(img, "bmp", p.toFile());
    float[] chw = new ImageLoader(ImageShape.rgb(2, 2)).load(p);
    // channel R, pixel (0,0) = 255 -> (1 - 0.485) / 0.229
    assertThat(chw[0]).isCloseTo((1f - 0.485f) / 0.229f, within(1e-5f));
    // channel G, pixel (0,1) = 255
    assertThat(chw[4 + 1]).isCloseTo((1f - 0.456f) / 0.224f, within(1e-5f));
    // channel B, pixel (1,0) = 255
    assertThat(chw[8 + 2]).isCloseTo((1f - 0.406f) / 0.225f, within(1e-5f));
    // grey 128 in every channel
    for (int c = 0; c < 3; c++) {
      assertThat(chw[4 * c + 3]).isCloseTo((128f / 255f - Normalisation.MEAN[c]) / Normalisation.STD[c],
          within(1e-5f));
    }
    // channel R of the green pixel is 0
    assertThat(chw[1]).isCloseTo(-0.485f / 0.229f, within(1e-5f));
  }

  @Test
  void greyImagesBecomeThreeEqualChannels() throws Exception {
    BufferedImage g = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setSample(1, 2, 0, 200);
    Path p = dir.resolve("g.png");
    ImageIO.write(g, "png", p.toFile());
    FloatImage f = new ImageLoader(ImageShape.rgb(4, 4)).decodeResized(p);
    for (int c = 0; c < 3; c++) {
      assertThat(f.get(c, 2, 1)).isCloseTo(200f / 255f, within(1e-6f));
      assertThat(f.get(c, 0, 0)).isZero();
    }
  }

  private static INDArray row(INDArray batch, int i) {
    return batch.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup().reshape(-1);
  }

  @Test
  void batchIsFloatNchwInOrderWithOrWithoutAPool() {
    Path a = io.ibreid.data.Fixtures.write(dir.resolve("a.jpg"), 40, 20, 1);
    Path b = io.ibreid.data.Fixtures.write(dir.resolve("b.png"), 30, 10, 2);
    ImageLoader loader = new ImageLoader(ImageShape.rgb(16, 8));
    INDArray seq = loader.batch(List.of(a, b, a));
    assertThat(seq.shape()).containsExactly(3, 3, 16, 8);
    assertThat(seq.dataType()).isEqualTo(DataType.FLOAT);
    float[] first = loader.load(a);
    float[] second = loader.load(b);
    assertThat(row(seq, 0).toFloatVector()).containsExactly(first);
    assertThat(row(seq, 1).toFloatVector()).containsExactly(second);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      assertThat(loader.batch(List.of(a, b, a), pool)).isEqualTo(seq);
    } finally {
      pool.shutdownNow();
    }
  }
}
