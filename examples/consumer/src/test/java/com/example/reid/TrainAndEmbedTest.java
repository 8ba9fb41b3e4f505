package com.example.reid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole story through the public API: train a few steps with our loss, embed two images. */
class TrainAndEmbedTest {
  @Test
  void trainsWithOurLossAndEmbedsTwoImages(@TempDir Path work) throws Exception {
    TrainAndEmbed.Outcome o = TrainAndEmbed.run(work);
    assertEquals(4, o.training().summary().iterations());
    Double ours = o.training().summary().last().terms().get("cosine-agreement_shared");
    assertTrue(ours != null && ours >= 0 && ours <= 2, "our term was trained: " + o.training().summary().last());
    assertTrue(Files.readString(work.resolve("run/train.log")).contains("Training consumer for 4 iterations"));
    assertEquals(8, o.infrared().length); // the shared branch's z
    assertEquals(8, o.visible().length);
    assertTrue(o.cosine() >= -1 && o.cosine() <= 1, "cosine " + o.cosine());
  }
}
