package com.example.reid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibreid.core.train.TrainerListener;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole story through the public API: generate the lab, train tiny with our loss, embed, in under a minute. */
class TrainAndEmbedTest {
  @Test
  void trainsTinyWithOurLossAndEmbeds(@TempDir Path work) throws Exception {
    List<String> lines = new ArrayList<>();
    TrainerListener progress = new TrainerListener() {
      @Override
      public void onLog(Level level, String line) {
        lines.add(line);
      }
    };
    long t0 = System.nanoTime();
    TrainAndEmbed.Outcome o = TrainAndEmbed.run(work, progress);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds < 60, "generated, trained and embedded in " + seconds + " s");

    // progress from the first moment: the lab's generation comes before training
    assertTrue(lines.get(0).startsWith("no data set at " + work.resolve("lab") + ": generating"), lines.get(0));
    assertTrue(lines.get(2).startsWith("generated 216 sysu-layout images"), lines.get(2));
    assertTrue(lines.get(3).startsWith("Training tiny for 15 iterations"), lines.get(3));
    assertTrue(Files.readString(work.resolve("run/train.log")).contains("generating 216 sysu-layout images"));

    assertEquals(15, o.training().summary().iterations());
    Double ours = o.training().summary().last().terms().get("cosine-agreement_shared");
    assertTrue(ours != null && ours >= 0 && ours <= 2, "our term was trained: " + o.training().summary().last());
    assertTrue(o.training().bestScores().containsKey("mAP"), o.training().toString());
    assertEquals(16, o.embedder().dimension()); // the shared branch's z
    assertTrue(Math.abs(o.samePerson()) <= 1 && Math.abs(o.otherPerson()) <= 1, o.samePerson() + " " + o.otherPerson());
  }
}
