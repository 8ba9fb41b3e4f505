package io.ibreid.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A failed file operation said in words, naming the user's path: the rules {@link UserFacing} and
 * {@link io.ibreid.core.io.AtomicFiles} share. In the root package so that the one place that shows a failure to a user
 * can describe an {@link IOException} itself, without depending on the packages that depend on it.
 */
public final class FileFailures {
  /**
   * {@code .NAME.PID-N.tmp}: the names {@link io.ibreid.core.io.AtomicFiles#temporarySibling} gives its temporary
   * files (group 1 the target's name, group 2 the writing process's id).
   */
  public static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.(\\d+)-\\d+\\.tmp");

  private FileFailures() {}

  /**
   * Why an I/O operation failed, in words, naming the path it failed on: "/data/out is a file, not a folder",
   * "/data/in.csv does not exist", "permission denied on /data/out", "No space left on device", ... The caller names
   * the user's file before it ({@code "cannot write " + target + ": " + reason(e)}). A path that is one of
   * {@link io.ibreid.core.io.AtomicFiles}' temporary files ({@link #TEMPORARY}) is never named (the user never chose
   * it): its folder is, where that says more.
   */
  public static String reason(IOException e) {
    if (!(e instanceof FileSystemException f)) {
      return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
    Path path = f.getFile() == null ? null : Path.of(f.getFile());
    boolean temporary = path != null && path.getFileName() != null
        && TEMPORARY.matcher(path.getFileName().toString()).matches();
    Path folder = temporary ? path.toAbsolutePath().getParent() : null;
    if (temporary) {
      path = null;
    }
    String r = f.getReason();
    if (e instanceof NotDirectoryException || "Not a directory".equals(r)) {
      Path file = path == null ? null : fileInTheWay(path);
      if (file != null) {
        return file + (Files.isRegularFile(file) ? " is a file, not a folder" : " is not a folder");
      }
      return path == null ? "a file is where a folder should be" : path + " is not a folder";
    }
    if (e instanceof FileAlreadyExistsException) {
      return path == null ? "the file already exists" : path + " already exists";
    }
    if (e instanceof NoSuchFileException) {
      if (path == null) {
        return folder == null ? "no such file or folder" : "the folder " + folder + " does not exist";
      }
      return path + " does not exist";
    }
    if (e instanceof AccessDeniedException) {
      if (path == null) {
        return folder == null ? "permission denied" : "permission denied: the folder " + folder + " is not writable";
      }
      return "permission denied on " + (Files.isDirectory(path) ? "the folder " : "") + path;
    }
    Path other = f.getOtherFile() == null ? null : Path.of(f.getOtherFile());
    if (e instanceof DirectoryNotEmptyException || "Directory not empty".equals(r)) {
      Path full = other != null ? other : path;
      return full == null ? "a folder that is not empty is in the way" : full + " is a folder that is not empty";
    }
    if ("Is a directory".equals(r)) {
      Path inTheWay = other != null && Files.isDirectory(other) ? other : path;
      return inTheWay == null ? "a folder is where a file should be" : inTheWay + " is a folder, not a file";
    }
    if (r != null) {
      return path == null ? r : r + " (" + path + ")";
    }
    String kind = e.getClass().getSimpleName().replaceAll("Exception$", "").replaceAll("([a-z])([A-Z])", "$1 $2")
        .toLowerCase(java.util.Locale.ROOT);
    return path == null ? kind : kind + " (" + path + ")";
  }

  /**
   * The first existing path, from the root down to {@code path}, that is not a folder: the file sitting where a
   * folder should be; null when there is none.
   */
  public static Path fileInTheWay(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path p = abs.getRoot();
    for (Path name : abs) {
      p = p == null ? name : p.resolve(name);
      if (!Files.exists(p)) {
        return null;
      }
      if (!Files.isDirectory(p)) {
        return p;
      }
    }
    return null;
  }
}
