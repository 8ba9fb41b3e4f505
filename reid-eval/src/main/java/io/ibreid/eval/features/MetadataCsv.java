package io.ibreid.eval.features;

import io.ibreid.core.IbreidException;
import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Image metadata as CSV with the header {@code path,pid,camid} (columns in any order, extra columns ignored; fields
 * may be double-quoted, RFC 4180 style). Row {@code i} describes row {@code i} of the matching {@code .npy} matrix.
 */
public final class MetadataCsv {
  /** The header this class writes and the columns it requires. */
  public static final String HEADER = "path,pid,camid";

  private MetadataCsv() {}

  public static List<ImageMeta> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IbreidException(file + " does not exist");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IbreidException(file + " is not UTF-8 text; expected a CSV file with the header " + HEADER);
    } catch (IOException e) {
      throw new IbreidException("cannot read " + file + ": " + e.getMessage(), e);
    }
    // split at \n, \r or \r\n, as BufferedReader.readLine does
    Iterator<String> lines = text.lines().iterator();
    String first = lines.hasNext() ? lines.next() : null;
    if (first == null || first.isBlank()) {
      throw new IbreidException(file + " is empty; expected the header " + HEADER);
    }
    if (first.startsWith("\uFEFF")) {
      first = first.substring(1);
    }
    List<String> header = fields(first, file, 1);
    int path = header.indexOf("path");
    int pid = header.indexOf("pid");
    int cam = header.indexOf("camid");
    for (String col : List.of("path", "pid", "camid")) {
      if (!header.contains(col)) {
        throw new IbreidException(file + ": header [" + first.strip() + "] lacks column [" + col
            + "]; expected the header " + HEADER);
      }
    }
    int need = Math.max(path, Math.max(pid, cam)) + 1;
    List<ImageMeta> out = new ArrayList<>();
    int lineNo = 1;
    while (lines.hasNext()) {
      String line = lines.next();
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      List<String> f = fields(line, file, lineNo);
      if (f.size() < need) {
        throw new IbreidException(file + " line " + lineNo + ": " + f.size() + " fields, the header has "
            + header.size());
      }
      out.add(new ImageMeta(f.get(path), integer(f.get(pid), "pid", file, lineNo),
          integer(f.get(cam), "camid", file, lineNo)));
    }
    return out;
  }

  public static void write(Path file, List<ImageMeta> rows) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (ImageMeta m : rows) {
      sb.append(quote(m.path())).append(',').append(m.pid()).append(',').append(m.camid()).append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  private static int integer(String s, String col, Path file, int lineNo) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      throw new IbreidException(file + " line " + lineNo + ": " + col + " [" + s + "] is not an integer");
    }
  }

  private static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /** Splits one CSV line; quoted fields may hold commas and doubled quotes. */
  static List<String> fields(String line, Path file, int lineNo) {
    if (line.indexOf('"') < 0) { // the common case, without a character-by-character copy
      List<String> out = new ArrayList<>(4);
      int start = 0;
      for (int comma = line.indexOf(','); comma >= 0; comma = line.indexOf(',', start)) {
        out.add(line.substring(start, comma).strip());
        start = comma + 1;
      }
      out.add(line.substring(start).strip());
      return out;
    }
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"' && cur.isEmpty()) {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString().strip());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      throw new IbreidException(file + " line " + lineNo + ": unterminated quoted field");
    }
    out.add(cur.toString().strip());
    return out;
  }
}
