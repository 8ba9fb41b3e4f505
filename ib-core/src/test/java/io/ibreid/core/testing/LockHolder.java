package io.ibreid.core.testing;

import io.ibreid.core.run.RunLock;
import java.nio.file.Path;

/** A child-process entry point for lock tests: {@code LockHolder RUN_DIR} locks it, prints "locked", then waits. */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    RunLock lock = RunLock.acquire(Path.of(args[0]));
    System.out.println("locked " + lock.file());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
