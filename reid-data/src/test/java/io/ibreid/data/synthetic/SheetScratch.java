package io.ibreid.data.synthetic;

import io.ibreid.data.ImageRecord;
import io.ibreid.data.image.ImageFiles;
import io.ibreid.data.sysu.SysuMm01;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Scratch: a contact sheet, one row per identity (its images sorted by camera). */
public final class SheetScratch {
  public static void main(String[] args) throws Exception {
    SysuMm01 data = SysuMm01.open(Path.of(args[0]), SysuMm01.Options.defaults());
    int rows = Integer.parseInt(args[2]);
    int per = 30;
    int scale = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    int w = 64 / scale;
    int h = 128 / scale;
    BufferedImage out = new BufferedImage(per * w, rows * h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    List<Integer> ids = data.testIds().stream().sorted().limit(rows).toList();
    for (int r = 0; r < rows; r++) {
      int pid = ids.get(r);
      List<ImageRecord> recs = data.testRecords().stream().filter(x -> x.pid() == pid)
          .sorted(java.util.Comparator.comparing(x -> x.path().toString())).toList();
      for (int k = 0; k < Math.min(per, recs.size()); k++) {
        g.drawImage(ImageFiles.decode(recs.get(k).path()), k * w, r * h, w, h, null);
      }
    }
    ImageIO.write(out, "png", new java.io.File(args[1]));
  }
}
