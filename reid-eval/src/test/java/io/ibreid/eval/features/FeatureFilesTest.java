package io.ibreid.eval.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.IbreidException;
import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.protocol.EvalProtocol;
import io.ibreid.eval.protocol.FeatureEvaluation;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy and CSV reading and writing, and every bad input failing with one line that names the file. */
class FeatureFilesTest {
  @TempDir
  Path dir;

  static Path resource(String name) throws URISyntaxException {
    return Path.of(FeatureFilesTest.class.getResource("/npy/" + name).toURI());
  }

  static void assertOneLine(Throwable t, String... fragments) {
    assertThat(t).isInstanceOf(IbreidException.class);
    assertThat(t.getMessage()).doesNotContain("\n");
    for (String f : fragments) {
      assertThat(t.getMessage()).contains(f);
    }
  }

  @Test
  void readsAFileWrittenByNumpy() throws Exception {
    // np.save('float32_3x4.npy', np.arange(12, dtype=np.float32).reshape(3, 4) / 4 - 1)
    FeatureMatrix m = Npy.read(resource("float32_3x4.npy"));
    assertThat(m.rows()).isEqualTo(3);
    assertThat(m.dim()).isEqualTo(4);
    for (int i = 0; i < 12; i++) {
      assertThat(m.get(i / 4, i % 4)).isEqualTo(i / 4f - 1f);
    }
  }

  @Test
  void writeThenReadRoundTrips() throws IOException {
    float[][] v = {{1.5f, -2f, 3.25f}, {0f, Float.MIN_VALUE, -0f}};
    Path f = dir.resolve("x.npy");
    Npy.write(f, FeatureMatrix.of(v));
    assertThat(Npy.read(f).toArray()).isDeepEqualTo(v);
    byte[] bytes = Files.readAllBytes(f);
    assertThat((bytes.length - 2 * 3 * 4) % 64).as("data aligned to 64 bytes").isZero();
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("x.npy");
  }

  @Test
  void writesALargeMatrixInBlocks() throws IOException {
    FeatureMatrix m = FeatureMatrix.allocate(700, 512);
    for (int r = 0; r < 700; r++) {
      m.set(r, r % 512, r);
    }
    Path f = dir.resolve("big.npy");
    Npy.write(f, m);
    FeatureMatrix back = Npy.read(f);
    assertThat(back.get(699, 699 % 512)).isEqualTo(699f);
    assertThat(back.get(3, 4)).isZero();
  }

  @Test
  void csvRoundTripWithQuotedPaths() throws IOException {
    List<ImageMeta> meta = List.of(new ImageMeta("cam1/0001/0001.jpg", 1, 1), new ImageMeta("a,b \"c\".jpg", -7, 6));
    Path f = dir.resolve("m.csv");
    MetadataCsv.write(f, meta);
    assertThat(MetadataCsv.read(f)).isEqualTo(meta);
    assertThat(Files.readAllLines(f).get(0)).isEqualTo("path,pid,camid");
  }

  @Test
  void csvColumnsMayComeInAnyOrderWithExtras() throws IOException {
    Path f = dir.resolve("m.csv");
    Files.writeString(f, "camid,extra,pid,path\n3,x,12,a.jpg\n\n6,y,13,b.jpg\n");
    assertThat(MetadataCsv.read(f)).containsExactly(new ImageMeta("a.jpg", 12, 3), new ImageMeta("b.jpg", 13, 6));
  }

  @Test
  void csvLineEndingsBlankLinesSpacesAndAByteOrderMark() throws IOException {
    Path f = dir.resolve("m.csv");
    Files.writeString(f, "\uFEFFpath, pid ,camid\r\n a.jpg ,1, 3\r\n\r\n\"b,\"\"q\"\"\",2,6\rc.jpg,3,1\n  \n d.jpg , 4 ,2");
    assertThat(MetadataCsv.read(f)).containsExactly(new ImageMeta("a.jpg", 1, 3), new ImageMeta("b,\"q\"", 2, 6),
        new ImageMeta("c.jpg", 3, 1), new ImageMeta("d.jpg", 4, 2));
    // line numbers count blank lines, and \r\n is one line end
    Files.writeString(f, "path,pid,camid\r\na,1,1\r\n\r\nb,x,1\r\n");
    assertOneLine(catchIt(() -> MetadataCsv.read(f)), "m.csv line 4: pid [x] is not an integer");
    Files.write(f, new byte[] {'p', 'a', 't', 'h', ',', 'p', 'i', 'd', ',', 'c', 'a', 'm', 'i', 'd', '\n', (byte) 0xff});
    assertOneLine(catchIt(() -> MetadataCsv.read(f)), "m.csv is not UTF-8 text");
  }

  @Test
  void shapeMismatchBetweenNpyAndCsv() throws Exception {
    Path csv = dir.resolve("q.csv");
    Files.writeString(csv, "path,pid,camid\na,1,3\nb,2,3\n");
    Path npy = resource("float32_3x4.npy");
    Throwable t = catchIt(() -> LabelledFeatures.read(npy, csv));
    assertOneLine(t, "float32_3x4.npy has 3 rows", "q.csv describes 2 images");
  }

  @Test
  void missingColumn() throws IOException {
    Path csv = dir.resolve("q.csv");
    Files.writeString(csv, "path,pid\na,1\n");
    assertOneLine(catchIt(() -> MetadataCsv.read(csv)), "q.csv", "lacks column [camid]", "path,pid,camid");
  }

  @Test
  void nanFeature() throws IOException {
    Path npy = dir.resolve("g.npy");
    Npy.write(npy, FeatureMatrix.of(new float[][] {{1, 2}, {3, Float.NaN}}));
    Path csv = dir.resolve("g.csv");
    Files.writeString(csv, "path,pid,camid\na,1,1\nb,2,1\n");
    assertOneLine(catchIt(() -> LabelledFeatures.read(npy, csv)), "g.npy", "row 1 column 1 is NaN");
  }

  @Test
  void queryAndGalleryReadTogetherReportTheQuerysProblemFirst() throws IOException {
    Path good = dir.resolve("good.npy");
    Npy.write(good, FeatureMatrix.of(new float[][] {{1, 2}, {3, 4}}));
    Path goodCsv = dir.resolve("good.csv");
    Files.writeString(goodCsv, "path,pid,camid\na,1,1\nb,2,3\n");
    Path nan = dir.resolve("nan.npy");
    Npy.write(nan, FeatureMatrix.of(new float[][] {{1, 2}, {3, Float.NaN}}));
    Path shortCsv = dir.resolve("short.csv");
    Files.writeString(shortCsv, "path,pid,camid\na,1,1\n");

    QueryGallery both = QueryGallery.read(good, goodCsv, good, goodCsv);
    assertThat(both.query().size()).isEqualTo(2);
    assertThat(both.gallery().features().get(1, 1)).isEqualTo(4f);
    assertThat(both.gallery().squaredNorms()).containsExactly(5, 25);
    assertOneLine(catchIt(() -> QueryGallery.read(good, goodCsv, nan, goodCsv)), "nan.npy", "row 1 column 1 is NaN");
    assertOneLine(catchIt(() -> QueryGallery.read(good, shortCsv, nan, goodCsv)), "good.npy has 2 rows",
        "short.csv describes 1 images");
  }

  @Test
  void emptyGallery() throws IOException {
    Path q = dir.resolve("q.npy");
    Npy.write(q, FeatureMatrix.of(new float[][] {{1, 2}}));
    Path qc = dir.resolve("q.csv");
    Files.writeString(qc, "path,pid,camid\na,1,3\n");
    Path g = dir.resolve("g.npy");
    Npy.write(g, FeatureMatrix.allocate(0, 2));
    Path gc = dir.resolve("g.csv");
    Files.writeString(gc, "path,pid,camid\n");
    LabelledFeatures lq = LabelledFeatures.read(q, qc);
    LabelledFeatures lg = LabelledFeatures.read(g, gc);
    assertThat(lg.size()).isZero();
    assertOneLine(catchIt(() -> new FeatureEvaluation(lq, "q", lg, "G.npy", EvalProtocol.SYSU, Distance.COSINE,
        KernelFactory.BLAS, null)), "gallery (G.npy) holds no images");
  }

  @Test
  void otherMalformedInputs() throws Exception {
    assertOneLine(catchIt(() -> Npy.read(resource("float64_2x2.npy"))), "dtype '<f8'", "float32");
    assertOneLine(catchIt(() -> Npy.read(resource("vector.npy"))), "expected a 2-d matrix");
    assertOneLine(catchIt(() -> Npy.read(resource("fortran.npy"))), "Fortran order");
    assertOneLine(catchIt(() -> Npy.read(dir.resolve("none.npy"))), "none.npy does not exist");
    Path text = dir.resolve("text.npy");
    Files.writeString(text, "path,pid,camid\n");
    assertOneLine(catchIt(() -> Npy.read(text)), "is not a .npy file");
    Path cut = dir.resolve("cut.npy");
    byte[] full = Files.readAllBytes(resource("float32_3x4.npy"));
    Files.write(cut, java.util.Arrays.copyOf(full, full.length - 4));
    assertOneLine(catchIt(() -> Npy.read(cut)), "cut.npy", "truncated");
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "path,pid,camid\na,x1,3\n");
    assertOneLine(catchIt(() -> MetadataCsv.read(csv)), "bad.csv line 2", "pid [x1] is not an integer");
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "");
    assertOneLine(catchIt(() -> MetadataCsv.read(empty)), "empty.csv is empty");
  }

  @Test
  void featureSizesMustAgreeAndSysuCamerasMustExist() {
    LabelledFeatures q = LabelledFeatures.of(FeatureMatrix.of(new float[][] {{1, 2, 3}}),
        List.of(new ImageMeta("q", 1, 3)), "q");
    LabelledFeatures g = LabelledFeatures.of(FeatureMatrix.of(new float[][] {{1, 2}}),
        List.of(new ImageMeta("g", 1, 1)), "g");
    assertOneLine(catchIt(() -> new FeatureEvaluation(q, "Q.npy", g, "G.npy", EvalProtocol.REGDB, Distance.COSINE,
        KernelFactory.BLAS, null)), "Q.npy has 3 feature columns but G.npy has 2");
    LabelledFeatures g7 = LabelledFeatures.of(FeatureMatrix.of(new float[][] {{1, 2, 3}}),
        List.of(new ImageMeta("x.jpg", 1, 7)), "g");
    assertOneLine(catchIt(() -> new FeatureEvaluation(q, "Q", g7, "G.csv", EvalProtocol.SYSU, Distance.COSINE,
        KernelFactory.BLAS, null)), "G.csv row 1 (x.jpg): camid 7", "expected 1..6");
  }

  static Throwable catchIt(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
    return org.assertj.core.api.Assertions.catchThrowable(c);
  }
}
