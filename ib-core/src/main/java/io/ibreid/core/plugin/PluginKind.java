package io.ibreid.core.plugin;

/** The kinds of plug-in ibreid discovers; the label is the word used in messages and listings. */
public enum PluginKind {
  ENCODER("encoder", "encoders"),
  BOTTLENECK("bottleneck", "bottlenecks"),
  LOSS("loss", "losses"),
  DATASET("dataset", "datasets");

  private final String label;
  private final String plural;

  PluginKind(String label, String plural) {
    this.label = label;
    this.plural = plural;
  }

  public String plural() {
    return plural;
  }

  public String label() {
    return label;
  }
}
