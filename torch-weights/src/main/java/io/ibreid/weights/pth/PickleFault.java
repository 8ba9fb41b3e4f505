package io.ibreid.weights.pth;

/** A pickle this module will not read; its message is the reason, without the file name (the reader adds it). */
final class PickleFault extends RuntimeException {
  PickleFault(String message) {
    super(message, null, false, false);
  }
}
