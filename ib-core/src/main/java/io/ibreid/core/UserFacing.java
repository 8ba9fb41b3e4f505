package io.ibreid.core;

import com.google.inject.CreationException;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The one place that turns a failure into the exception a user is shown (the facade throws it, the command line prints
 * its message): wrappers that only carry another exception — Guice's provisioning and creation errors, reflection's,
 * an executor's, {@link UncheckedIOException} — are looked through.
 */
public final class UserFacing {
  private static final int MAX_DEPTH = 20;

  private UserFacing() {}

  /**
   * The {@link IbreidException} found in {@code e}'s cause chain (following Guice's error messages); else the first
   * exception of the chain that is not a wrapper, if it is a runtime exception; else an {@link IbreidException}
   * whose one line is, for a checked {@link IOException}, what failed in words naming the path
   * ({@link FileFailures#reason}), and for any other checked exception (or nothing but wrappers) that exception's
   * simple class name and first message line.
   */
  public static RuntimeException exception(Throwable e) {
    return exception(e, FileFailures::reason);
  }

  /**
   * As {@link #exception(Throwable)}, except that a checked {@link IOException} is said by {@code describe} when that
   * gives a line; the class-name form is used when it gives null.
   */
  static RuntimeException exception(Throwable e, Function<? super IOException, String> describe) {
    Throwable plain = null;
    Throwable t = e;
    for (int depth = 0; depth < MAX_DEPTH && t != null; depth++) {
      if (t instanceof IbreidException ie) {
        return ie;
      }
      if (plain == null && !isWrapper(t)) {
        plain = t;
      }
      Collection<Message> messages = t instanceof ProvisionException p ? p.getErrorMessages()
          : t instanceof CreationException c ? c.getErrorMessages() : List.of();
      t = messages.stream().map(Message::getCause).filter(x -> x != null).findFirst()
          .orElse(t.getCause() == t ? null : t.getCause());
    }
    if (plain == null) {
      plain = e;
    }
    if (plain instanceof RuntimeException r && !isWrapper(r)) {
      return r;
    }
    String described = plain instanceof IOException io ? describe.apply(io) : null;
    if (described != null) {
      return new IbreidException(described.lines().findFirst().orElse(""), plain);
    }
    String message = plain.getMessage() == null ? "" : plain.getMessage().lines().findFirst().orElse("");
    return new IbreidException(plain.getClass().getSimpleName() + ": " + message, plain);
  }

  private static boolean isWrapper(Throwable t) {
    return t instanceof ProvisionException || t instanceof CreationException || t instanceof UncheckedIOException
        || t instanceof InvocationTargetException || t instanceof ExecutionException;
  }
}
