package io.ibreid.core.run;

import io.ibreid.core.IbreidException;
import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The lock a training process holds on its run directory: an operating-system lock ({@link FileChannel#tryLock}) on
 * {@code RUN_DIR/.lock}, which holds the owner's process id. The operating system releases it when the process ends,
 * however it ends, so the lock of a killed process never blocks the next one; the file itself stays (removing it
 * could let two processes lock two different files).
 */
public final class RunLock implements AutoCloseable {
  /** The lock file's name inside the run directory. */
  public static final String FILE = ".lock";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code runDir} (an existing folder) for this process.
   *
   * @throws IbreidException naming the process that holds it, or why the lock file cannot be written
   */
  public static RunLock acquire(Path runDir) {
    Path file = runDir.resolve(FILE);
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this process holds it already (another thread)
      }
      if (lock == null) {
        String owner = readOwner(ch).map(pid -> "process " + pid).orElse("another process");
        ch.close();
        throw new IbreidException("run directory " + runDir + " is in use: " + owner + " is training in it; wait "
            + "for it to finish, or train into another --out");
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      ch.force(false);
      return new RunLock(file, ch, lock);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new IbreidException("cannot lock run directory " + runDir + " (" + file.getFileName() + "): "
          + AtomicFiles.reason(e), e);
    }
  }

  /** The process id of the live process holding the lock of {@code runDir}, if one does. Changes nothing. */
  public static Optional<Long> holder(Path runDir) {
    Path file = runDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock probe;
      try {
        probe = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        return Optional.of(ProcessHandle.current().pid());
      }
      if (probe != null) {
        probe.release();
        return Optional.empty();
      }
      return Optional.of(readOwner(ch).orElse(-1L));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> readOwner(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(32);
    ch.read(b, 0);
    String text = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
    try {
      return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /** Releases the lock (the file stays; its process id is cleared). */
  @Override
  public void close() {
    try {
      if (lock.isValid() && Files.exists(file)) {
        channel.truncate(0);
      }
      lock.release();
    } catch (IOException ignored) {
      // the process ending releases it anyway
    } finally {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing left to do
      }
    }
  }
}
