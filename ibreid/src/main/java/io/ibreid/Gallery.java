package io.ibreid;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.index.GalleryIndex;
import io.ibreid.index.IndexFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A searchable gallery: images embedded by a trained run ({@link Embedder}) into a {@link GalleryIndex} (Lucene HNSW,
 * with identity, camera, modality, path and capture time as filterable fields), and queries ranked against it.
 *
 * <pre>{@code
 * Embedder run = Embedder.open(Path.of("runs/demo"));
 * Gallery.index(run, Path.of("gallery.idx"), Gallery.scan(Path.of("data/lab-sysu")), GalleryIndex.Options.defaults(),
 *     64, done -> {});
 * List<GalleryIndex.Hit> top = Gallery.search(run, Path.of("gallery.idx"), Path.of("q.jpg"), View.INFRARED, 20,
 *     IndexFilter.NONE.withoutCameras(Set.of(3)), false);
 * }</pre>
 */
public final class Gallery {
  /** A gallery image: identity (-1: unknown), camera (0: unknown), modality, capture time (epoch ms). */
  public record Image(Path path, int identity, int camera, View modality, long time) {}

  /** What {@link #index} did: images embedded and added now, images already in the index, entries in total. */
  public record Built(int added, int skipped, int total) {}

  private static final Pattern SYSU = Pattern.compile("(?:^|.*/)cam(\\d+)/(\\d+)/[^/]+$");
  private static final Pattern CAMERA = Pattern.compile("(?:^|.*/)cam(?:era)?[_-]?(\\d+)(?:/.*)?$",
      Pattern.CASE_INSENSITIVE);

  private Gallery() {}

  /**
   * Every JPG, PNG or BMP under {@code dir}, sorted, with what its path tells: SYSU-MM01's {@code camN/NNNN/file}
   * gives camera N and identity NNNN (cameras 3 and 6 infrared); a {@code Thermal} or {@code infrared} folder
   * (RegDB) means infrared, camera 2, and a numeric parent folder is the identity; capture time is the file's
   * modification time.
   */
  public static List<Image> scan(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IbreidException("--images " + dir + " is not a folder");
    }
    try (Stream<Path> files = Files.walk(dir)) {
      List<Image> out = new ArrayList<>();
      for (Path p : files.filter(Files::isRegularFile).filter(Gallery::isImage).sorted().toList()) {
        out.add(describe(p, dir.relativize(p).toString().replace('\\', '/'), null, null, null, null));
      }
      if (out.isEmpty()) {
        throw new IbreidException("folder " + dir + " holds no JPG, PNG or BMP image");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Images listed in a CSV file: {@code path[,identity[,camera[,modality[,time]]]]} per line (the format {@code
   * ibreid extract} writes, {@code path,pid,camid}, is one), a header line allowed; relative paths are resolved
   * against the list's folder; missing columns are read from the path as {@link #scan} does.
   */
  public static List<Image> readList(Path csv) {
    List<String> lines;
    try {
      lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IbreidException("cannot read --list " + csv + ": " + AtomicFiles.reason(e));
    }
    List<Image> out = new ArrayList<>();
    Path base = csv.toAbsolutePath().getParent();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || (i == 0 && line.toLowerCase(Locale.ROOT).startsWith("path"))) {
        continue;
      }
      String[] f = line.split(",", -1);
      try {
        Path p = base.resolve(f[0].strip());
        out.add(describe(p, f[0].strip(), f.length > 1 ? Integer.valueOf(f[1].strip()) : null,
            f.length > 2 ? Integer.valueOf(f[2].strip()) : null,
            f.length > 3 ? View.valueOf(f[3].strip().toUpperCase(Locale.ROOT)) : null,
            f.length > 4 ? Long.valueOf(f[4].strip()) : null));
      } catch (IllegalArgumentException e) {
        throw new IbreidException(csv + " line " + (i + 1) + ": [" + line + "] is not path[,identity[,camera[,"
            + "visible|infrared[,epoch ms]]]]");
      }
    }
    if (out.isEmpty()) {
      throw new IbreidException("--list " + csv + " names no image");
    }
    return out;
  }

  /** What a single file's path tells (as {@link #scan} reads gallery paths), relative to its folder's parents. */
  public static Image describeFile(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    return describe(abs, abs.toString().replace('\\', '/'), null, null, null, null);
  }

  /**
   * The paths a list names (the first CSV column, a header allowed, relative paths against the list's folder),
   * without reading the files: images to delete may be gone already.
   */
  public static List<Path> readPaths(Path list) {
    List<String> lines;
    try {
      lines = Files.readAllLines(list, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IbreidException("cannot read " + list + ": " + AtomicFiles.reason(e));
    }
    Path base = list.toAbsolutePath().getParent();
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String first = lines.get(i).split(",", -1)[0].strip();
      if (!first.isEmpty() && !(i == 0 && first.equalsIgnoreCase("path"))) {
        out.add(base.resolve(first));
      }
    }
    return out;
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp");
  }

  static Image describe(Path p, String rel, Integer identity, Integer camera, View modality, Long time) {
    String lower = rel.toLowerCase(Locale.ROOT);
    int cam = 0;
    int id = -1;
    Matcher m = SYSU.matcher(rel);
    if (m.matches()) {
      cam = Integer.parseInt(m.group(1));
      id = Integer.parseInt(m.group(2));
    } else {
      Matcher c = CAMERA.matcher(rel);
      if (c.matches()) {
        cam = Integer.parseInt(c.group(1));
      }
      Path parent = Path.of(rel).getParent();
      if (parent != null && parent.getFileName().toString().matches("\\d+")) {
        id = Integer.parseInt(parent.getFileName().toString());
      }
    }
    boolean thermal = lower.contains("thermal") || lower.contains("infrared");
    if (cam == 0 && (thermal || lower.contains("visible"))) {
      cam = thermal ? 2 : 1;
    }
    View mod = m.matches() ? (cam == 3 || cam == 6 ? View.INFRARED : View.VISIBLE)
        : thermal ? View.INFRARED : View.VISIBLE;
    long t;
    try {
      t = time != null ? time : Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      throw new IbreidException("image " + p + " cannot be read: " + AtomicFiles.reason(e));
    }
    return new Image(p, identity != null ? identity : id, camera != null ? camera : cam,
        modality != null ? modality : mod, t);
  }

  /**
   * Embeds the images that are not in the index yet, {@code batch} at a time per modality, and adds each batch with a
   * Lucene commit: an interrupted build, run again, continues where it stopped and adds nothing twice.
   * {@code progress} receives the number of images done (skipped ones included) after each batch.
   */
  public static Built index(Embedder embedder, Path indexDir, List<Image> images, GalleryIndex.Options options,
      int batch, IntConsumer progress) {
    if (batch < 1) {
      throw new IbreidException("batch must be at least 1, got " + batch);
    }
    Path ckpt = embedder.checkpoint().toAbsolutePath().normalize();
    Map<String, String> extra = Map.of("ibreid.run", embedder.config().name + " " + ckpt,
        "ibreid.run.dir", ckpt.getParent().getParent().toString(),
        "ibreid.run.checkpoint", ckpt.getFileName().toString(),
        "ibreid.feature.visible", String.join(",", embedder.parts(View.VISIBLE)),
        "ibreid.feature.infrared", String.join(",", embedder.parts(View.INFRARED)));
    try (GalleryIndex index = GalleryIndex.openForWriting(indexDir, embedder.dimension(), embedder.fingerprint(),
        options, extra)) {
      int skipped = 0;
      int added = 0;
      List<Image> todo = new ArrayList<>();
      for (Image im : images) {
        if (index.contains(key(im))) {
          skipped++;
        } else {
          todo.add(im);
        }
      }
      int done = skipped;
      progress.accept(done);
      for (View view : View.values()) {
        List<Image> of = todo.stream().filter(i -> i.modality() == view).toList();
        for (int from = 0; from < of.size(); from += batch) {
          List<Image> chunk = of.subList(from, Math.min(of.size(), from + batch));
          float[][] f = embedder.embed(chunk.stream().map(Image::path).toList(), view);
          List<GalleryIndex.Entry> entries = new ArrayList<>();
          for (int i = 0; i < chunk.size(); i++) {
            Image im = chunk.get(i);
            entries.add(new GalleryIndex.Entry(key(im), im.identity(), im.camera(), label(im.modality()), im.time(),
                f[i]));
          }
          added += index.add(entries);
          done += chunk.size();
          progress.accept(done);
        }
      }
      return new Built(added, skipped, index.size());
    }
  }

  /** Removes images (by path) from the index; returns how many were there. */
  public static int delete(Embedder embedder, Path indexDir, List<Path> images) {
    try (GalleryIndex index = GalleryIndex.openForWriting(indexDir, embedder.dimension(), embedder.fingerprint(),
        GalleryIndex.Options.defaults(), Map.of())) {
      return index.delete(images.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
    }
  }

  /**
   * The {@code k} gallery entries most similar to {@code query} (an image of {@code modality}) that pass
   * {@code filter}: HNSW search (with {@code max(k, 100)} candidates), or the exact scan when {@code exact}.
   */
  public static List<GalleryIndex.Hit> search(Embedder embedder, Path indexDir, Path query, View modality, int k,
      IndexFilter filter, boolean exact) {
    float[] q = embedder.embed(query, modality);
    try (GalleryIndex index = GalleryIndex.openForReading(indexDir)) {
      return exact ? index.searchExact(q, embedder.fingerprint(), k, filter)
          : index.search(q, embedder.fingerprint(), k, Math.max(k, 100), filter);
    }
  }

  static String key(Image im) {
    return im.path().toAbsolutePath().normalize().toString();
  }

  static String label(View v) {
    return v.name().toLowerCase(Locale.ROOT);
  }
}
