package io.ibreid.core;

/**
 * An error the user can act on: its message is one line naming the file, key or value at fault and what was
 * expected. Command-line front ends print the message alone (no stack trace) and exit non-zero.
 */
public class IbreidException extends RuntimeException {
  public IbreidException(String message) {
    super(message);
  }

  public IbreidException(String message, Throwable cause) {
    super(message, cause);
  }
}
