package io.ibreid.eval.features;

import io.ibreid.core.IbreidException;
import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Image metadata as CSV with the header {@code path,pid,camid} (columns in any order, each at most once; extra columns
 * ignored). Fields may be double-quoted, RFC 4180 style: a quoted field may hold commas, doubled quotes and line
 * breaks, so every path {@link #write} writes reads back unchanged. Records end at {@code \n}, {@code \r} or
 * {@code \r\n}; unquoted fields are stripped of surrounding spaces; a leading byte-order mark is skipped. Row
 * {@code i} describes row {@code i} of the matching {@code .npy} matrix.
 *
 * <p>Reading streams the file with bounds, so that a huge file or a device that never ends fails with one line
 * instead of exhausting memory: a record may hold at most {@link #MAX_RECORD} characters, and a reader given the
 * number of rows it expects stops after one record more.
 */
public final class MetadataCsv {
  /** The header this class writes and the columns it requires. */
  public static final String HEADER = "path,pid,camid";
  /** The longest record read, in characters (a path is at most a few thousand). */
  public static final int MAX_RECORD = 1 << 16;

  private MetadataCsv() {}

  /** Reads every row of {@code file}. */
  public static List<ImageMeta> read(Path file) {
    return read(file, Integer.MAX_VALUE - 8, null);
  }

  /**
   * Reads {@code file}, which must describe at most {@code maxRows} images: reading stops at the first row beyond and
   * fails with one line naming the file and {@code limitWhy} (what sets the limit, e.g. the matching .npy).
   */
  public static List<ImageMeta> read(Path file, int maxRows, String limitWhy) {
    try (Reader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
      return new Parser(in, file).rows(maxRows, limitWhy);
    } catch (NoSuchFileException e) {
      throw new IbreidException(file + " does not exist");
    } catch (CharacterCodingException e) {
      throw new IbreidException(file + " is not UTF-8 text; expected a CSV file with the header " + HEADER);
    } catch (IOException e) {
      throw new IbreidException("cannot read " + file + ": " + AtomicFiles.reason(e), e);
    }
  }

  /** Writes the header and one row per image, quoting what must be quoted to read back unchanged; atomically. */
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

  /** A field as written: quoted when it holds a comma, a quote, a line break or surrounding white space. */
  static String quote(String s) {
    boolean plain = !s.isEmpty() && s.equals(s.strip()) && s.indexOf(',') < 0 && s.indexOf('"') < 0
        && s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && s.charAt(0) != '\uFEFF';
    return plain ? s : '"' + s.replace("\"", "\"\"") + '"';
  }

  /** The streaming record reader. */
  private static final class Parser {
    private final Reader in;
    private final Path file;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    /** Physical line of the next character; the line a record starts on. */
    private int line = 1;
    private int recordLine;
    private boolean first = true;

    Parser(Reader in, Path file) {
      this.in = in;
      this.file = file;
    }

    List<ImageMeta> rows(int maxRows, String limitWhy) throws IOException {
      List<String> header = record();
      while (header != null && blank(header)) {
        header = record();
      }
      if (header == null) {
        throw new IbreidException(file + " is empty; expected the header " + HEADER);
      }
      Set<String> seen = new HashSet<>();
      for (String h : header) {
        if (!h.isEmpty() && !seen.add(h)) {
          throw new IbreidException(file + ": the header names column [" + h + "] twice; expected each column "
              + "once (" + HEADER + ")");
        }
      }
      int path = header.indexOf("path");
      int pid = header.indexOf("pid");
      int cam = header.indexOf("camid");
      for (String col : List.of("path", "pid", "camid")) {
        if (!header.contains(col)) {
          throw new IbreidException(file + ": header [" + String.join(",", header) + "] lacks column [" + col
              + "]; expected the header " + HEADER);
        }
      }
      int need = Math.max(path, Math.max(pid, cam)) + 1;
      List<ImageMeta> out = new ArrayList<>();
      for (List<String> f = record(); f != null; f = record()) {
        if (blank(f)) {
          continue;
        }
        if (f.size() < need) {
          throw new IbreidException(file + " line " + recordLine + ": " + f.size() + " fields, the header has "
              + header.size());
        }
        if (out.size() >= maxRows) {
          throw new IbreidException(file + " describes more than " + maxRows + " images" + (limitWhy == null ? ""
              : "; " + limitWhy));
        }
        out.add(new ImageMeta(f.get(path), integer(f.get(pid), "pid", file, recordLine),
            integer(f.get(cam), "camid", file, recordLine)));
      }
      return out;
    }

    private static boolean blank(List<String> f) {
      return f.size() == 1 && f.get(0).isEmpty();
    }

    private int next() throws IOException {
      if (pos == len) {
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
          len = 0;
          return -1;
        }
      }
      return buf[pos++];
    }

    private int peek() throws IOException {
      if (pos == len) {
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
          len = 0;
          return -1;
        }
      }
      return buf[pos];
    }

    /** The next record's fields (unquoted ones stripped), or null at the end of the input. */
    List<String> record() throws IOException {
      int c = next();
      if (c < 0) {
        return null;
      }
      if (first) {
        first = false;
        if (c == '\uFEFF') {
          c = next();
          if (c < 0) {
            return null;
          }
        }
      }
      recordLine = line;
      List<String> out = new ArrayList<>(4);
      StringBuilder cur = new StringBuilder();
      boolean quoted = false;
      boolean wasQuoted = false;
      int chars = 0;
      while (true) {
        if (++chars > MAX_RECORD) {
          throw new IbreidException(file + " line " + recordLine + " holds a record of more than " + MAX_RECORD
              + " characters; expected one image per line (path,pid,camid)");
        }
        if (quoted) {
          if (c < 0) {
            throw new IbreidException(file + " line " + recordLine + ": unterminated quoted field");
          }
          if (c == '"') {
            if (peek() == '"') {
              next();
              cur.append('"');
            } else {
              quoted = false;
            }
          } else {
            if (c == '\n' || (c == '\r' && peek() != '\n')) {
              line++;
            }
            cur.append((char) c);
          }
        } else if (c < 0 || c == '\n' || c == '\r') {
          out.add(wasQuoted ? cur.toString() : cur.toString().strip());
          if (c == '\r' && peek() == '\n') {
            next();
          }
          if (c >= 0) {
            line++;
          }
          return out;
        } else if (c == '"' && cur.toString().isBlank() && !wasQuoted) {
          quoted = true;
          wasQuoted = true;
          cur.setLength(0);
        } else if (c == ',') {
          out.add(wasQuoted ? cur.toString() : cur.toString().strip());
          cur.setLength(0);
          wasQuoted = false;
        } else if (!wasQuoted || !Character.isWhitespace(c)) {
          if (wasQuoted) {
            throw new IbreidException(file + " line " + recordLine + ": text after a closing quote; expected a "
                + "comma or the end of the line");
          }
          cur.append((char) c);
        }
        c = next();
      }
    }
  }
}
