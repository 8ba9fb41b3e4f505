package io.ibreid.data.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import io.ibreid.data.image.FloatImage;
import io.ibreid.data.image.Normalisation;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {
  /** 1 channel, 2×3: values 1..6 row by row. */
  private static FloatImage small() {
    return new FloatImage(1, 2, 3, new float[] {1, 2, 3, 4, 5, 6});
  }

  private static FloatImage random(long seed) {
    FloatImage f = new FloatImage(3, 16, 8);
    Random r = new Random(seed);
    for (int i = 0; i < f.data().length; i++) {
      f.data()[i] = r.nextFloat();
    }
    return f;
  }

  @Test
  void flipMirrorsEachRow() {
    assertThat(Augmentation.flip(small()).data()).containsExactly(3, 2, 1, 6, 5, 4);
  }

  @Test
  void padCropShiftsWithBlackBorder() {
    // pad 1, crop at (0,0) of the padded image: content moves down-right by one pixel
    assertThat(Augmentation.padCrop(small(), 1, 0, 0).data()).containsExactly(0, 0, 0, 0, 1, 2);
    // crop at (2,2): content moves up-left by one pixel
    assertThat(Augmentation.padCrop(small(), 1, 2, 2).data()).containsExactly(5, 6, 0, 0, 0, 0);
    // crop at (pad, pad) is the identity
    assertThat(Augmentation.padCrop(small(), 1, 1, 1).data()).containsExactly(small().data());
    assertThatThrownBy(() -> Augmentation.padCrop(small(), 1, 3, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eraseFillsOnlyTheRectangleInEveryChannel() {
    FloatImage f = random(1);
    FloatImage before = f.copy();
    Augmentation.erase(f, 2, 3, 4, 2, 0f);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 8; x++) {
          boolean inside = y >= 2 && y < 6 && x >= 3 && x < 5;
          assertThat(f.get(c, y, x)).isEqualTo(inside ? 0f : before.get(c, y, x));
        }
      }
    }
  }

  @Test
  void applyKeepsTheShapeAndIsRepeatableUnderASeed() {
    AugmentSettings s = new AugmentSettings(0.5, 2, 0.5, 0.02, 0.4, 0.3);
    FloatImage in = random(7);
    float[] original = in.data().clone();
    boolean anyDiffer = false;
    for (long seed = 0; seed < 20; seed++) {
      FloatImage a = Augmentation.apply(in, s, new Random(seed));
      FloatImage b = Augmentation.apply(in, s, new Random(seed));
      assertThat(a.channels()).isEqualTo(3);
      assertThat(a.height()).isEqualTo(16);
      assertThat(a.width()).isEqualTo(8);
      assertThat(a.data()).containsExactly(b.data());
      FloatImage c = Augmentation.apply(in, s, new Random(seed + 1000));
      anyDiffer |= !java.util.Arrays.equals(a.data(), c.data());
    }
    assertThat(anyDiffer).isTrue();
    assertThat(in.data()).containsExactly(original); // the input is not modified
  }

  @Test
  void withoutRandomTransformsApplyOnlyNormalises() {
    FloatImage in = random(3);
    FloatImage out = Augmentation.apply(in, AugmentSettings.none(), new Random(1));
    FloatImage expected = in.copy();
    Normalisation.apply(expected);
    assertThat(out.data()).containsExactly(expected.data());
  }

  @Test
  void certainFlipWithoutPaddingIsTheNormalisedMirror() {
    FloatImage in = random(4);
    FloatImage out = Augmentation.apply(in, new AugmentSettings(1, 0, 0, 0.02, 0.4, 0.3), new Random(9));
    FloatImage expected = Augmentation.flip(in);
    Normalisation.apply(expected);
    assertThat(out.data()).containsExactly(expected.data());
  }

  @Test
  void certainErasingZeroesARectangleOfTheRequestedArea() {
    FloatImage in = random(5);
    AugmentSettings s = new AugmentSettings(0, 0, 1, 0.1, 0.1, 1);
    FloatImage out = Augmentation.apply(in, s, new Random(2));
    int zeros = 0;
    for (float v : out.data()) {
      zeros += v == 0f ? 1 : 0;
    }
    // a square of area 0.1 * 128 = 12.8 -> side round(sqrt(12.8)) = 4 -> 16 pixels in each of 3 channels
    assertThat(zeros).isEqualTo(48);
  }

  @Test
  void badSettingsNameTheKey() {
    assertThatThrownBy(() -> new AugmentSettings(1.5, 0, 0, 0.02, 0.4, 0.3))
        .isInstanceOf(IbreidException.class).hasMessageContaining("data.params.flip");
    assertThatThrownBy(() -> new AugmentSettings(0.5, 0, 0, 0.5, 0.4, 0.3))
        .isInstanceOf(IbreidException.class).hasMessageContaining("data.params.erasingMaxArea");
    assertThatThrownBy(() -> new AugmentSettings(0.5, -1, 0, 0.02, 0.4, 0.3))
        .isInstanceOf(IbreidException.class).hasMessageContaining("data.params.pad");
  }

  @Test
  void grayscaleIsTheReleasesLumaRepeatedIntoThreeChannels() {
    // a pixel (R, G, B) = (1, 0.5, 0.25): 0.2989 + 0.2935 + 0.0285 = 0.6209
    FloatImage f = new FloatImage(3, 1, 1, new float[] {1f, 0.5f, 0.25f});
    assertThat(Augmentation.gray(f).data()).containsExactly(0.6209f, 0.6209f, 0.6209f);
    assertThatThrownBy(() -> Augmentation.gray(small())).hasMessageContaining("3 channels");
  }

  @Test
  void randomGrayscaleTouchesOnlyVisibleImagesAndLeavesEveryOtherDrawAsBefore() {
    AugmentSettings plain = new AugmentSettings(0.5, 2, 0.5, 0.02, 0.4, 0.3);
    AugmentSettings gray = new AugmentSettings(0.5, 2, 0.5, 0.02, 0.4, 0.3, 0.5);
    int grayed = 0;
    for (long seed = 0; seed < 200; seed++) {
      FloatImage in = random(seed + 7);
      FloatImage before = Augmentation.apply(in, plain, new Random(seed));
      // infrared images and p = 0: bit for bit the augmentation of before
      assertThat(Augmentation.apply(in, gray, new Random(seed), false).data()).containsExactly(before.data());
      assertThat(Augmentation.apply(in, plain, new Random(seed), true).data()).containsExactly(before.data());
      FloatImage vis = Augmentation.apply(in, gray, new Random(seed), true);
      if (java.util.Arrays.equals(vis.data(), before.data())) {
        continue;
      }
      grayed++;
      assertThat(vis.data()).containsExactly(Augmentation.gray(before).data());
    }
    // about half of 200: a binomial(200, 0.5) is in [70, 130] with probability > 0.9999
    assertThat(grayed).isBetween(70, 130);
  }
}
