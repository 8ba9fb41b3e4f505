package io.ibreid.eval.embedding;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.View;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.data.CrossModalSource;
import io.ibreid.data.DataSources;
import io.ibreid.data.ImageRecord;
import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.extract.FeatureExtractor;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.features.FeatureMatrix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The paper's feature-space pictures of a trained run: identities of a split (seeded), up to M images of each per
 * modality, one branch output extracted (every branch can process images of either modality), embedded in 2-D with
 * t-SNE (exact, or Barnes-Hut for large selections), drawn twice (by identity, by modality) and summarised by how
 * neighbourhoods agree with identity and modality, in 2-D and in the feature space. What {@code ibreid tsne} runs.
 *
 * <pre>{@code
 * TsnePictures p = TsnePictures.prepare(run, "shared", "z", options); // checks, opens the run, chooses the images
 * TsnePictures.Pictures pictures = p.draw();                          // extraction and t-SNE
 * pictures.write(out);
 * }</pre>
 *
 * <p>A value the run or its data cannot satisfy is an {@link IbreidException} of one line naming the option
 * ({@code --ids}, {@code --perplexity}, ...) as the command line spells it.
 */
public final class TsnePictures {
  /** Exact t-SNE holds two n x n double matrices; beyond this its memory and O(n^2) iterations get heavy. */
  public static final int MAX_EXACT = 5000;
  /** Up to this many images the default is exact t-SNE, above it Barnes-Hut with theta 0.5. */
  public static final int EXACT_DEFAULT_UP_TO = 1000;
  /** Barnes-Hut limit: the selection's features and neighbour lists stay far below the default heap. */
  public static final int MAX_POINTS = 50_000;

  /**
   * What to draw.
   *
   * @param split {@code test} or {@code holdout}
   * @param ids identities to show, at least 2
   * @param perId at most this many images per identity and modality
   * @param perplexity t-SNE perplexity; needs at least {@code 3 perplexity + 1} images
   * @param seed seed of the selection and of t-SNE
   * @param iterations t-SNE iterations
   * @param theta 0 = exact t-SNE, above 0 Barnes-Hut with this accuracy; null: 0 up to
   *     {@link #EXACT_DEFAULT_UP_TO} images, 0.5 above
   * @param k neighbours counted in the summary
   * @param distance feature distance, {@code cosine} or {@code euclidean}
   * @param checkpoint {@code best}, {@code last} or a checkpoint folder name
   * @param root data set root; null: the run's {@code data.root}
   */
  public record Options(String split, int ids, int perId, double perplexity, long seed, int iterations,
      Double theta, int k, String distance, String checkpoint, Path root) {}

  private final Path run;
  private final BranchRole role;
  private final String feature;
  private final String split;
  private final int ids;
  private final double perplexity;
  private final long seed;
  private final int iterations;
  private final int k;
  private final Distance dist;
  private final TrainedRun trained;
  private final List<ImageRecord> images;
  private final double t;

  private TsnePictures(Path run, BranchRole role, String feature, Options o, Distance dist, TrainedRun trained,
      List<ImageRecord> images, double t) {
    this.run = run;
    this.role = role;
    this.feature = feature;
    this.split = o.split();
    this.ids = o.ids();
    this.perplexity = o.perplexity();
    this.seed = o.seed();
    this.iterations = o.iterations();
    this.k = o.k();
    this.dist = dist;
    this.trained = trained;
    this.images = images;
    this.t = t;
  }

  /**
   * Checks the options, opens the run's checkpoint and chooses the images ({@link #select}); extracts nothing.
   *
   * @param branch {@code visible}, {@code infrared} or {@code shared}
   * @param feature the branch output: {@code v} (observation) or {@code z} (representation)
   */
  public static TsnePictures prepare(Path run, String branch, String feature, Options options) throws IOException {
    String split = options.split();
    int ids = options.ids();
    int perId = options.perId();
    double perplexity = options.perplexity();
    int iterations = options.iterations();
    int k = options.k();
    Double theta = options.theta();
    BranchRole role = parseBranch(branch);
    Distance dist = Distance.parse(options.distance());
    if (!split.equals("test") && !split.equals("holdout")) {
      throw new IbreidException("--split must be one of [test, holdout], got [" + split + "]");
    }
    if (ids < 2) {
      throw new IbreidException("--ids must be at least 2, got " + ids);
    }
    if (perId < 1) {
      throw new IbreidException("--per-id must be at least 1, got " + perId);
    }
    if (!(perplexity > 1)) {
      throw new IbreidException("--perplexity must be greater than 1, got " + perplexity);
    }
    if (iterations < 1) {
      throw new IbreidException("--iterations must be at least 1, got " + iterations);
    }
    if (k < 1) {
      throw new IbreidException("--k must be at least 1, got " + k);
    }
    if (theta != null && (!(theta >= 0) || theta.isInfinite())) {
      throw new IbreidException("--theta must be >= 0 (0 = exact), got " + theta);
    }
    TrainedRun trained = TrainedRun.open(run, options.checkpoint());
    if (!trained.model().has(role)) {
      throw new IbreidException("--branch " + branch + ": run " + run + " has no " + branch + " branch; it has "
          + trained.model().branches().stream().map(b -> b.role().label()).toList());
    }
    if (trained.model().outputIndex(role, feature) < 0) {
      throw new IbreidException("--feature " + feature + ": the " + branch + " branch of run " + run + " has no "
          + "output [" + feature + "]; its outputs: " + trained.model().outputs().stream()
              .filter(o -> o.startsWith(role.label() + ".")).map(o -> o.substring(role.label().length() + 1))
              .toList());
    }
    CrossModalSource source = DataSources.open(trained.config(), null, options.root(), null);
    List<ImageRecord> pool = split.equals("test") ? source.testRecords() : source.holdout();
    List<ImageRecord> images = select(pool, ids, perId, options.seed(), split + " split of " + source.root());
    int n = images.size();
    double t = theta != null ? theta : n <= EXACT_DEFAULT_UP_TO ? 0 : 0.5;
    if (n > (t == 0 ? MAX_EXACT : MAX_POINTS)) {
      throw new IbreidException("--ids " + ids + " --per-id " + perId + " select " + n + " images; "
          + (t == 0 ? "exact t-SNE (--theta 0) takes at most " + MAX_EXACT + ": use --theta 0.5 or lower --ids or "
              + "--per-id" : "t-SNE here takes at most " + MAX_POINTS + ": lower --ids or --per-id"));
    }
    if (3 * perplexity + 1 > n) {
      throw new IbreidException(String.format(Locale.ROOT, "--perplexity %s needs at least %d images (3 x "
          + "perplexity + 1); the selection has %d: lower --perplexity or raise --ids / --per-id",
          fmt(perplexity), (int) Math.ceil(3 * perplexity + 1), n));
    }
    if (k > n - 1) {
      throw new IbreidException("--k " + k + " needs at least " + (k + 1) + " images; the selection has " + n);
    }
    return new TsnePictures(run, role, feature, options, dist, trained, images, t);
  }

  /** The chosen images, in increasing identity order, visible first ({@link #select}). */
  public List<ImageRecord> images() {
    return images;
  }

  /** How many of {@link #images()} are visible. */
  public long visible() {
    return images.stream().filter(r -> r.modality() == View.VISIBLE).count();
  }

  /** The output drawn, e.g. {@code shared.z}. */
  public String what() {
    return role.label() + "." + feature;
  }

  /** The checkpoint the features come from. */
  public Path checkpoint() {
    return trained.checkpoint();
  }

  /** Whether t-SNE is exact (theta 0) rather than Barnes-Hut. */
  public boolean exact() {
    return t == 0;
  }

  /**
   * The pictures and their files' contents.
   *
   * @param identityPng colour = identity, marker = modality
   * @param modalityPng colour = modality
   * @param csv {@code path,pid,camid,modality,x,y}, one row per image
   * @param json the settings, the final KL and the neighbour agreement in 2-D, in feature space and by chance
   * @param summary the neighbour agreement in one line (also in {@code json})
   * @param exact whether t-SNE was exact
   * @param seconds time of the feature distances, t-SNE and the scores
   */
  public record Pictures(byte[] identityPng, byte[] modalityPng, String csv, String json, String summary,
      boolean exact, double seconds) {
    /** Writes tsne-identity.png, tsne-modality.png, tsne.csv and tsne.json into {@code out}, each atomically. */
    public void write(Path out) throws IOException {
      AtomicFiles.write(out.resolve("tsne-identity.png"), identityPng);
      AtomicFiles.write(out.resolve("tsne-modality.png"), modalityPng);
      AtomicFiles.writeString(out.resolve("tsne.csv"), csv);
      AtomicFiles.writeString(out.resolve("tsne.json"), json);
    }
  }

  /** Extracts the features of {@link #images()}, embeds them and draws the pictures. */
  public Pictures draw() throws IOException {
    int n = images.size();
    String what = what();
    FeatureMatrix f = new FeatureExtractor(trained.model(), new TrainingImageLoader(), 64)
        .extract(images.stream().map(ImageRecord::path).toList(), role, feature);
    f.checkFiniteAndSquaredNorms(what + " features");
    long t0 = System.nanoTime();
    Tsne.Options options = Tsne.Options.defaults(perplexity, seed).withIterations(iterations).withTheta(t);
    int[] pid = images.stream().mapToInt(ImageRecord::pid).toArray();
    int[] mod = images.stream().mapToInt(r -> r.modality().ordinal()).toArray();
    Tsne.Result layout;
    NeighbourAgreement.Scores inFeatures;
    if (t == 0) {
      double[] d2 = FeatureDistances.squared(f, dist, KernelFactory.BLAS);
      layout = new Tsne(options).embed(d2, n);
      inFeatures = NeighbourAgreement.of(d2, n, pid, mod, k);
    } else { // nothing n x n: the distances are streamed from the kernel block by block
      try (BlockDistances d2 = FeatureDistances.blocks(f, dist, KernelFactory.BLAS)) {
        layout = new Tsne(options).embed(d2);
        inFeatures = NeighbourAgreement.of(d2, pid, mod, k);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    NeighbourAgreement.Scores inMap = NeighbourAgreement.ofPoints(layout.y(), n, 2, pid, mod, k);
    NeighbourAgreement.Scores chance = NeighbourAgreement.chance(pid, mod);

    String title = what + ", " + ids + " " + split + " identities";
    List<EmbeddingChart.Point> points = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      points.add(new EmbeddingChart.Point(layout.get(i, 0), layout.get(i, 1), pid[i], images.get(i).modality()));
    }
    byte[] identityPng = EmbeddingChart.byIdentity(points, title);
    byte[] modalityPng = EmbeddingChart.byModality(points, title);
    String csv = csv(images, layout);
    long visible = visible();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run", run.toString());
    json.put("checkpoint", trained.checkpoint().getFileName().toString());
    json.put("branch", role.label());
    json.put("feature", feature);
    json.put("featureDim", f.dim());
    json.put("split", split);
    json.put("identities", ids);
    json.put("images", n);
    json.put("visible", visible);
    json.put("infrared", n - visible);
    json.put("distance", dist.label());
    json.put("method", t == 0 ? "exact" : "barnes-hut");
    json.put("theta", t);
    json.put("perplexity", perplexity);
    json.put("iterations", iterations);
    json.put("learningRate", layout.learningRate());
    json.put("seed", seed);
    json.put("kl", layout.kl());
    json.put("seconds", seconds);
    json.put("k", k);
    json.put("embedding", scores(inMap));
    json.put("features", scores(inFeatures));
    json.put("chance", scores(chance));
    String summary = summary(what, n, ids, k, inMap, inFeatures, chance, layout.kl());
    json.put("summary", summary);
    String jsonText = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n";
    return new Pictures(identityPng, modalityPng, csv, jsonText, summary, t == 0, seconds);
  }

  static BranchRole parseBranch(String s) {
    for (BranchRole r : BranchRole.values()) {
      if (r.label().equals(s)) {
        return r;
      }
    }
    throw new IbreidException("--branch must be one of " + Arrays.stream(BranchRole.values())
        .map(BranchRole::label).toList() + ", got [" + s + "]");
  }

  /**
   * The picture's images: identities with images of both modalities, sorted, shuffled with {@code new
   * Random(seed)}, the first {@code ids} kept; of each, the images of each modality sorted by path, shuffled with
   * the same generator, the first {@code perId} kept. Returned in increasing identity order, visible first.
   *
   * @param where the pool's description for the error when it has too few identities
   */
  public static List<ImageRecord> select(List<ImageRecord> pool, int ids, int perId, long seed, String where) {
    Map<Integer, Map<View, List<ImageRecord>>> byId = new TreeMap<>();
    for (ImageRecord r : pool) {
      byId.computeIfAbsent(r.pid(), p -> new TreeMap<>()).computeIfAbsent(r.modality(), v -> new ArrayList<>())
          .add(r);
    }
    List<Integer> eligible = new ArrayList<>();
    for (Map.Entry<Integer, Map<View, List<ImageRecord>>> e : byId.entrySet()) {
      if (e.getValue().size() == View.values().length) {
        eligible.add(e.getKey());
      }
    }
    if (eligible.size() < ids) {
      throw new IbreidException("--ids " + ids + ": the " + where + " has " + eligible.size() + " identities with "
          + "images of both modalities");
    }
    Random random = new Random(seed);
    Collections.shuffle(eligible, random);
    List<Integer> chosen = new ArrayList<>(eligible.subList(0, ids));
    chosen.sort(null);
    List<ImageRecord> out = new ArrayList<>();
    for (int id : chosen) {
      for (View view : View.values()) {
        List<ImageRecord> group = new ArrayList<>(byId.get(id).get(view));
        group.sort(Comparator.comparing(r -> r.path().toString()));
        Collections.shuffle(group, random);
        List<ImageRecord> kept = new ArrayList<>(group.subList(0, Math.min(perId, group.size())));
        kept.sort(Comparator.comparing(r -> r.path().toString()));
        out.addAll(kept);
      }
    }
    return out;
  }

  private static Map<String, Object> scores(NeighbourAgreement.Scores s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sameIdentity", s.sameIdentity());
    m.put("sameModality", s.sameModality());
    m.put("crossModalIdentity", s.crossModalIdentity());
    return m;
  }

  static String summary(String what, int n, int ids, int k, NeighbourAgreement.Scores map,
      NeighbourAgreement.Scores features, NeighbourAgreement.Scores chance, double kl) {
    return String.format(Locale.ROOT, "%s, %d images of %d identities, %d nearest neighbours (2-D / features / "
        + "chance): same identity %.3f / %.3f / %.3f, same modality %.3f / %.3f / %.3f, cross-modal same identity "
        + "%.3f / %.3f / %.3f; KL %.3f", what, n, ids, k, map.sameIdentity(), features.sameIdentity(),
        chance.sameIdentity(), map.sameModality(), features.sameModality(), chance.sameModality(),
        map.crossModalIdentity(), features.crossModalIdentity(), chance.crossModalIdentity(), kl);
  }

  private static String csv(List<ImageRecord> images, Tsne.Result layout) {
    StringBuilder sb = new StringBuilder("path,pid,camid,modality,x,y\n");
    for (int i = 0; i < images.size(); i++) {
      ImageRecord r = images.get(i);
      sb.append(quote(r.path().toString())).append(',').append(r.pid()).append(',').append(r.camera()).append(',')
          .append(r.modality().label()).append(',').append(layout.get(i, 0)).append(',').append(layout.get(i, 1))
          .append('\n');
    }
    return sb.toString();
  }

  private static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
