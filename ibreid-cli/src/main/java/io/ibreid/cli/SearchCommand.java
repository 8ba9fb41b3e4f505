package io.ibreid.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ibreid.Embedder;
import io.ibreid.Gallery;
import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.report.RankListReport;
import io.ibreid.index.GalleryIndex;
import io.ibreid.index.IndexFilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ibreid search}: ranks a gallery index against a query image (docs/deployment.md). */
@Command(name = "search", description = "Rank the entries of a gallery index against a query image: a table (or "
    + "--json), and optionally the rank-list picture. Filters apply inside the search.")
final class SearchCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "INDEX", description = "Index folder (ibreid index).")
  Path index;

  @Option(names = "--run", paramLabel = "RUN_DIR", description = "Run that embeds the query (default: the run the "
      + "index was built with).")
  Path run;

  @Option(names = "--checkpoint", description = "Checkpoint of --run (default: the one the index was built with).")
  String checkpoint;

  @Option(names = "--image", required = true, paramLabel = "Q.jpg", description = "Query image.")
  Path image;

  @Option(names = "--modality", description = "visible or infrared: the query's modality (default: from its path, "
      + "as ibreid index reads gallery paths).")
  String modality;

  @Option(names = "--top", defaultValue = "20", description = "Entries to return (default: 20).")
  int top;

  @Option(names = "--filter", paramLabel = "COND", description = "camera=1,2 | camera!=3 | modality=visible | "
      + "identity=12,40 | time=FROM..TO (epoch ms or ISO-8601 instants, either end may be empty). Repeatable.")
  List<String> filters = new ArrayList<>();

  @Option(names = "--exact", description = "Exact scan instead of the HNSW search.")
  boolean exact;

  @Option(names = "--json", description = "Print the results as JSON.")
  boolean json;

  @Option(names = "--png", paramLabel = "FILE", description = "Also draw the rank list (query, then the top "
      + "entries; green where the identity matches the query's) to FILE, with a CSV next to it.")
  Path png;

  @Override
  public Integer call() throws IOException {
    IndexFilter filter = parse(filters);
    Map<String, String> info;
    try (GalleryIndex opened = GalleryIndex.openForReading(index)) {
      info = opened.info();
    }
    Path runDir = run;
    String ckpt = checkpoint;
    if (runDir == null) {
      String dir = info.get("ibreid.run.dir");
      if (dir == null) {
        throw new IbreidException("index " + index + " does not name its run; pass --run");
      }
      runDir = Path.of(dir);
      if (ckpt == null) {
        ckpt = info.getOrDefault("ibreid.run.checkpoint", "best");
      }
    }
    Embedder embedder = Embedder.open(runDir, ckpt == null ? "best" : ckpt);
    Gallery.Image q = Gallery.describeFile(image);
    View view = modality == null ? q.modality() : switch (modality) {
      case "visible" -> View.VISIBLE;
      case "infrared" -> View.INFRARED;
      default -> throw new IbreidException("--modality must be visible or infrared, got [" + modality + "]");
    };
    List<GalleryIndex.Hit> hits = Gallery.search(embedder, index, image, view, top, filter, exact);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (GalleryIndex.Hit h : hits) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rank", h.rank());
        m.put("similarity", h.similarity());
        m.put("identity", h.identity());
        m.put("camera", h.camera());
        m.put("modality", h.modality());
        m.put("time", Instant.ofEpochMilli(h.time()).toString());
        m.put("path", h.path());
        rows.add(m);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("query", image.toString());
      doc.put("modality", view.name().toLowerCase(Locale.ROOT));
      doc.put("search", exact ? "exact" : "hnsw");
      doc.put("results", rows);
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    } else {
      out.printf("%4s  %10s  %8s  %6s  %-8s  %-24s  %s%n", "rank", "similarity", "identity", "camera", "modality",
          "time", "path");
      for (GalleryIndex.Hit h : hits) {
        out.printf(Locale.ROOT, "%4d  %10.4f  %8d  %6d  %-8s  %-24s  %s%n", h.rank(), h.similarity(), h.identity(),
            h.camera(), h.modality(), Instant.ofEpochMilli(h.time()), h.path());
      }
    }
    if (png != null) {
      String name = png.getFileName().toString();
      Path csv = png.resolveSibling((name.endsWith(".png") ? name.substring(0, name.length() - 4) : name) + ".csv");
      List<ImageMeta> gallery = new ArrayList<>();
      List<RankListReport.Entry> entries = new ArrayList<>();
      for (GalleryIndex.Hit h : hits) {
        entries.add(new RankListReport.Entry(h.rank(), gallery.size(), (float) (1 - h.similarity()),
            q.identity() >= 0 && h.identity() == q.identity()));
        gallery.add(new ImageMeta(h.path(), h.identity(), h.camera()));
      }
      RankListReport.write(png, csv, List.of(new RankListReport.Row(0, Double.NaN, entries)),
          List.of(new ImageMeta(image.toAbsolutePath().toString(), q.identity(), q.camera())), gallery, Path.of(""));
      if (!json) {
        out.printf("rank list drawn to %s (%s)%n", png, csv);
      }
    }
    out.flush();
    return 0;
  }

  static IndexFilter parse(List<String> conditions) {
    IndexFilter f = IndexFilter.NONE;
    for (String c : conditions) {
      int neq = c.indexOf("!=");
      int eq = c.indexOf('=');
      if (eq < 0) {
        throw bad(c);
      }
      String key = (neq > 0 ? c.substring(0, neq) : c.substring(0, eq)).strip();
      String value = c.substring(eq + 1).strip();
      try {
        switch (key) {
          case "camera" -> f = neq > 0 ? f.withoutCameras(ints(value)) : f.withCameras(ints(value));
          case "identity" -> {
            if (neq > 0) {
              throw bad(c);
            }
            f = f.withIdentities(ints(value));
          }
          case "modality" -> {
            if (neq > 0 || !(value.equals("visible") || value.equals("infrared"))) {
              throw bad(c);
            }
            f = f.withModality(value);
          }
          case "time" -> {
            int dots = value.indexOf("..");
            if (neq > 0 || dots < 0) {
              throw bad(c);
            }
            f = f.withTime(instant(value.substring(0, dots)), instant(value.substring(dots + 2)));
          }
          default -> throw bad(c);
        }
      } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
        throw bad(c);
      }
    }
    return f;
  }

  private static Set<Integer> ints(String s) {
    Set<Integer> out = new LinkedHashSet<>();
    for (String p : s.split(",")) {
      out.add(Integer.valueOf(p.strip()));
    }
    return out;
  }

  private static Long instant(String s) {
    s = s.strip();
    if (s.isEmpty()) {
      return null;
    }
    return s.matches("-?\\d+") ? Long.valueOf(s) : Instant.parse(s).toEpochMilli();
  }

  private static IbreidException bad(String c) {
    return new IbreidException("--filter [" + c + "] is not one of camera=1,2 | camera!=3 | modality=visible|infrared"
        + " | identity=12,40 | time=FROM..TO");
  }
}
