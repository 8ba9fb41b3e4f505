package io.ibreid.data;

import io.ibreid.data.image.ImageVerification;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a data set the way training and evaluation will read it, and lists every bad image instead of stopping at
 * the first ({@code ibreid doctor --dataset T --root DIR [--decode]}). First the layout: the reader behind
 * {@code type} opens the root with every structural check (id lists, index files, camera and identity folders) and
 * scans the test identities too (SYSU-MM01 otherwise scans them only when evaluation asks); a problem there is
 * thrown as the reader's one-line {@link io.ibreid.core.IbreidException}. Then every image of the training, holdout
 * and test splits gets the header test, or with {@code decode} a full decode (which finds truncated and undecodable
 * files; slow), and every file that fails is listed.
 */
public final class DatasetCheck {
  /**
   * What was found.
   *
   * @param description the reader's one-line summary (identities and image counts)
   * @param images      images checked (training, holdout and test)
   * @param decoded     whether every image was decoded (else only its header was read)
   * @param badImages   one line per bad file, naming it and what is wrong, in reading order
   * @param notes       what the reader tolerated: ids or images listed twice ({@link CrossModalSource#notes()})
   */
  public record Report(String description, int images, boolean decoded, List<String> badImages, List<String> notes) {
    public Report {
      badImages = List.copyOf(badImages);
      notes = List.copyOf(notes);
    }

    public boolean ok() {
      return badImages.isEmpty() && notes.isEmpty();
    }
  }

  private DatasetCheck() {}

  /**
   * Checks the data set of {@code type} at {@code root} with the config's {@code params} (holdout, RegDB trial; its
   * {@code skipCorrupt} is ignored: nothing is skipped here, every bad file is reported).
   */
  public static Report run(String type, Path root, Map<String, Object> params, boolean decode, int workers) {
    CrossModalSource source = DataSources.open(type, root, params, workers, ImageVerification.Policy.NONE);
    List<ImageRecord> all = new ArrayList<>(source.train().records());
    all.addAll(source.holdout());
    all.addAll(source.testRecords());
    List<String> bad = ImageVerification.problems(all, decode, workers);
    return new Report(source.describe(), all.size(), decode, bad, source.notes());
  }
}
