package io.ibreid.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A cross-modal Re-ID data set as read from disk: the training split (relabelled), an optional holdout split of
 * training identities kept aside for validation (never test identities), and the test images. Which test images
 * are queries and which gallery is the evaluation protocol's choice (reid-eval), made from each record's camera and
 * modality.
 */
public interface CrossModalSource {
  /** Data set root folder. */
  Path root();

  /** Training images of the training identities that are not held out, labelled 0..C-1. */
  LabelledSplit train();

  /** Every image of the held-out training identities (empty when no holdout was asked for). */
  List<ImageRecord> holdout();

  /** Original ids of the held-out identities. */
  Set<Integer> holdoutIds();

  /** Every image of the test identities, with camera and modality. */
  List<ImageRecord> testRecords();

  /** Original ids of the test identities. */
  Set<Integer> testIds();

  /** One line: name, identity and image counts. */
  String describe();

  /**
   * What the reader found odd but tolerated (and logged as a warning), one line each: an identity or an image listed
   * twice, for example. {@code ibreid doctor} reports them as errors.
   */
  default List<String> notes() {
    return List.of();
  }
}
