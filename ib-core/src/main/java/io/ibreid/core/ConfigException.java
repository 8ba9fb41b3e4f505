package io.ibreid.core;

/** A configuration value is missing, unknown, of the wrong type or out of range; the message names the key. */
public class ConfigException extends IbreidException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
