package io.ibreid.eval.features;

/**
 * What the evaluation needs to know about one image: its path (as written in the metadata, used for reports only),
 * its person identity and its camera number (SYSU-MM01: 1..6, cameras 3 and 6 infrared).
 */
public record ImageMeta(String path, int pid, int camid) {}
