package io.ibreid.data.synthetic;

import io.ibreid.core.branch.View;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.image.FloatImage;
import io.ibreid.data.image.ImageFiles;
import io.ibreid.data.image.Pixels;
import io.ibreid.data.image.Resize;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.synthetic.SyntheticGenerator.Spec;
import io.ibreid.data.sysu.SysuMm01;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Scratch: measures the cue descriptors on the default set's test identities. */
public final class LabScratch {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    if (!Files.exists(root)) {
      long t0 = System.nanoTime();
      Spec spec = Spec.defaults(Layout.SYSU).withSubset(2);
      if (args.length > 1) {
        String[] d = args[1].split(",");
        spec = spec.withDifficulty(new Difficulty(Double.parseDouble(d[0]), Double.parseDouble(d[1]),
            Double.parseDouble(d[2]), Integer.parseInt(d[3]), 0));
      }
      SyntheticGenerator.Summary s = SyntheticGenerator.generate(spec, root, 2);
      System.out.printf("generated %d images in %.1f s%n", s.images(), (System.nanoTime() - t0) / 1e9);
    }
    SysuMm01 data = SysuMm01.open(root, SysuMm01.Options.defaults());
    List<ImageRecord> recs = data.testRecords();
    List<FloatImage> imgs = new ArrayList<>();
    for (ImageRecord r : recs) {
      imgs.add(Resize.resize(Pixels.toFloat(ImageFiles.decode(r.path())), 64, 32));
    }
    System.out.printf("%d test images of %d ids%n", recs.size(), data.testIds().size());
    report("colour", recs, imgs, CueDescriptors::colour, false);
    report("heat", recs, imgs, CueDescriptors::heat, false);
    report("e.05/4x4c", recs, imgs, f -> CueDescriptors.edges(f, 0.05, 4, 4, 4, 6), true);
    report("e.03/4x4c", recs, imgs, f -> CueDescriptors.edges(f, 0.03, 4, 4, 4, 6), true);
    report("e.08/4x4c", recs, imgs, f -> CueDescriptors.edges(f, 0.08, 4, 4, 4, 6), true);
    report("e.05/4x4c8", recs, imgs, f -> CueDescriptors.edges(f, 0.05, 4, 4, 4, 8), true);
    report("e.05/4x4c4", recs, imgs, f -> CueDescriptors.edges(f, 0.05, 4, 4, 4, 4), true);
    report("e.05/4x4c2", recs, imgs, f -> CueDescriptors.edges(f, 0.05, 4, 4, 2, 6), true);
    report("e.05/4x4c6", recs, imgs, f -> CueDescriptors.edges(f, 0.05, 4, 4, 6, 6), true);
    report("e.05/4x2c", recs, imgs, f -> CueDescriptors.edges(f, 0.05, 4, 2, 4, 6), true);
    report("col2", recs, imgs, f -> CueDescriptors.colour2(f, 12, 3, true), false);
    report("col2-1", recs, imgs, f -> CueDescriptors.colour2(f, 12, 3, false), false);
    report("col2-18", recs, imgs, f -> CueDescriptors.colour2(f, 18, 3, true), false);
    report("heat2", recs, imgs, f -> CueDescriptors.heat2(f, 12, true), false);
    report("heat2-1", recs, imgs, f -> CueDescriptors.heat2(f, 12, false), false);
    report("heat2-20", recs, imgs, f -> CueDescriptors.heat2(f, 20, true), false);
  }

  static void report(String name, List<ImageRecord> recs, List<FloatImage> imgs,
      Function<FloatImage, double[]> f, boolean flip) {
    List<double[]> feats = new ArrayList<>();
    List<double[]> flipped = new ArrayList<>();
    for (FloatImage i : imgs) {
      feats.add(f.apply(i));
      flipped.add(flip ? f.apply(CueDescriptors.mirror(i)) : null);
    }
    CueDescriptors.Rank1 vv = CueDescriptors.rank1(recs, feats, flip ? flipped : null, View.VISIBLE, View.VISIBLE);
    CueDescriptors.Rank1 ii = CueDescriptors.rank1(recs, feats, flip ? flipped : null, View.INFRARED,
        View.INFRARED);
    CueDescriptors.Rank1 iv = CueDescriptors.rank1(recs, feats, flip ? flipped : null, View.INFRARED,
        View.VISIBLE);
    System.out.printf("%-8s vis->vis %.3f (%d)  ir->ir %.3f (%d)  ir->vis %.3f (%d)%n", name, vv.value(), vv.queries(),
        ii.value(), ii.queries(), iv.value(), iv.queries());
  }
}
