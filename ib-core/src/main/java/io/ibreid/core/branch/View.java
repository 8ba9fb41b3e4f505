package io.ibreid.core.branch;

import java.util.Locale;

/** The two modalities (views) of a person: visible-light and infrared images. */
public enum View {
  VISIBLE,
  INFRARED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code visible} / {@code infrared}; null when the word is neither. */
  public static View fromLabel(String s) {
    for (View v : values()) {
      if (v.label().equals(s)) {
        return v;
      }
    }
    return null;
  }
}
