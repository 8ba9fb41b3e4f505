package com.example.reid;

import io.ibreid.Embedder;
import io.ibreid.Ibreid;
import io.ibreid.TrainOptions;
import io.ibreid.TrainResult;
import io.ibreid.core.branch.View;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.train.TrainerListener;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.sysu.SysuMm01;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains the shipped config {@code tiny} (the full method, small) with our own loss added, on a lab generated on
 * first use, then embeds infrared and visible images of two test persons and compares them.
 * Usage: {@code TrainAndEmbed [WORK_DIR]} (default {@code work}); run again, it resumes the finished run.
 */
public final class TrainAndEmbed {
  /** What one run produced: the training, the embedder, and the cosines of person A's infrared image. */
  public record Outcome(TrainResult training, Embedder embedder, double samePerson, double otherPerson) {}

  private TrainAndEmbed() {}

  public static void main(String[] args) {
    NativeRuntime.load(); // ND4J's native build for this CPU, loaded before anything else starts a thread
    TrainerListener progress = new TrainerListener() {
      @Override
      public void onLog(Level level, String line) { // the run's narrative, from the lab's generation on
        System.out.println(level == Level.WARNING ? "WARNING " + line : line);
      }
    };
    Outcome o = run(Path.of(args.length > 0 ? args[0] : "work"), progress);
    System.out.println(o.training());
    System.out.println(o.embedder());
    System.out.printf("cosine of person A's infrared image with A's visible one %.3f, with B's %.3f%n",
        o.samePerson(), o.otherPerson());
  }

  public static Outcome run(Path work, TrainerListener progress) {
    Path lab = work.resolve("lab");
    Path runDir = work.resolve("run");
    // configs/tiny.yaml, shipped in the ibreid jar; its lab (Lab.small()) is generated at data.root when missing
    RunConfig config = Ibreid.config("tiny", "data.root=" + lab);
    // a RunConfig is plain public fields: add our loss in code (Ibreid.train validates it as it would a file)
    RunConfig.LossSpec ours = new RunConfig.LossSpec();
    ours.type = "cosine-agreement";
    ours.branch = "shared";
    ours.weight = 0.5;
    config.losses.add(ours);
    boolean resume = Files.isRegularFile(runDir.resolve("config.yaml"));
    TrainResult result = Ibreid.train(config, runDir,
        TrainOptions.defaults().withListener(progress).withResume(resume));

    Embedder embedder = Embedder.open(result.runDirectory()); // the best checkpoint on the held-out identities
    SysuMm01 data = SysuMm01.open(lab, SysuMm01.Options.defaults());
    List<Integer> persons = List.copyOf(data.testIds());
    float[] a = embedder.embed(image(data, persons.get(0), View.INFRARED), View.INFRARED);
    float[] sameA = embedder.embed(image(data, persons.get(0), View.VISIBLE), View.VISIBLE);
    float[] otherB = embedder.embed(image(data, persons.get(1), View.VISIBLE), View.VISIBLE);
    return new Outcome(result, embedder, Embedder.cosine(a, sameA), Embedder.cosine(a, otherB));
  }

  /** The first image of a test person in a modality. */
  static Path image(SysuMm01 data, int person, View modality) {
    return data.testRecords().stream().filter(r -> r.pid() == person && r.modality() == modality)
        .map(ImageRecord::path).sorted().findFirst().orElseThrow();
  }
}
