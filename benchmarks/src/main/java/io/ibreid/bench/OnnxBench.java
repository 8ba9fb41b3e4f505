package io.ibreid.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ibreid.core.branch.View;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.run.ModelFeatures;
import io.ibreid.export.OnnxExport;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Feature extraction img/s of a run, ibreid (DL4J/ND4J, the run's own inference path) against ONNX Runtime on the
 * run's ONNX export, on the same preprocessed batches of real images: {@code OnnxBench RUN_DIR IMAGE_DIR BATCH
 * THREADS MODALITY}. ND4J's threads follow OMP_NUM_THREADS; ONNX Runtime's intra-op threads are THREADS. Prints one
 * JSON line per engine, with the largest difference between the two engines' features.
 */
public final class OnnxBench {
  private OnnxBench() {}

  public static void main(String[] args) throws Exception {
    NativeRuntime.load();
    Path runDir = Path.of(args[0]);
    Path images = Path.of(args[1]);
    int batch = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    View view = View.valueOf(args[4].toUpperCase(Locale.ROOT));
    TrainedRun run = TrainedRun.open(runDir, "best");
    List<Path> files;
    try (Stream<Path> s = Files.walk(images)) {
      files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(batch * 8L).toList();
    }
    int rounds = files.size() / batch;
    List<INDArray> batches = new java.util.ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      batches.add(new TrainingImageLoader().load(files.subList(r * batch, (r + 1) * batch), run.model().imageShape())
          .dup('c'));
    }
    ModelFeatures features = new ModelFeatures(run.model(), run.config().evaluation, new TrainingImageLoader(), batch);
    Path onnx = Files.createTempFile("ibreid-bench", ".onnx");
    OnnxExport.write(run, onnx, new OnnxExport.Options(List.of(view), false));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(threads);
    so.setInterOpNumThreads(1);
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    double maxDiff = 0;
    try (OrtSession session = env.createSession(onnx.toString(), so)) {
      long[] shape = batches.get(0).shape();
      shape[0] = batch;
      // Each engine is warmed up and timed in a phase of its own, with a pause between: ONNX Runtime's intra-op
      // threads spin for a while after a run, as ND4J's OpenMP threads do, and an engine timed right after the other
      // one ran would share the two cores with those spinning threads (it halved ibreid's 2-thread rate here).
      for (int r = 0; r < Math.min(2, rounds); r++) {
        features.extract(batches.get(r), view);
      }
      long t0 = System.nanoTime();
      for (int r = 0; r < rounds; r++) {
        features.extract(batches.get(r), view);
      }
      double ibreid = rounds * batch / ((System.nanoTime() - t0) / 1e9);
      Thread.sleep(2000);
      for (int r = 0; r < Math.min(2, rounds); r++) {
        ort(env, session, batches.get(r), shape, view);
      }
      t0 = System.nanoTime();
      for (int r = 0; r < rounds; r++) {
        ort(env, session, batches.get(r), shape, view);
      }
      double ortRate = rounds * batch / ((System.nanoTime() - t0) / 1e9);
      // the agreement of the two engines, on every batch
      for (int r = 0; r < rounds; r++) {
        INDArray x = batches.get(r);
        float[][] a = rows(features.extract(x, view));
        float[][] b = ort(env, session, x, shape, view);
        for (int i = 0; i < a.length; i++) {
          for (int j = 0; j < a[i].length; j++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i][j] - b[i][j]));
          }
        }
      }
      String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
      String common = String.format(Locale.ROOT, "\"run\": \"%s\", \"input\": \"%s\", \"batch\": %d, "
          + "\"images\": %d, \"feature\": \"%s\", \"cpu\": \"%s\", \"load\": \"%s\"", runDir,
          run.model().imageShape(), batch, rounds * batch, features.parts(view), IndexBench.cpu(), load);
      System.out.printf(Locale.ROOT, "{%s, \"engine\": \"ibreid (ND4J, OMP_NUM_THREADS=%s)\", \"img_per_s\": %.1f}%n",
          common, System.getenv().getOrDefault("OMP_NUM_THREADS", "default"), ibreid);
      System.out.printf(Locale.ROOT, "{%s, \"engine\": \"onnxruntime 1.20.0 (%d intra-op threads)\", "
          + "\"img_per_s\": %.1f, \"max_abs_difference\": %.2e}%n", common, threads, ortRate, maxDiff);
    } finally {
      Files.deleteIfExists(onnx);
    }
  }

  static INDArray slice(INDArray all, int r, int batch) {
    return all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval((long) r * batch, (long) (r + 1) * batch),
        org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
        org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c');
  }

  static float[][] ort(OrtEnvironment env, OrtSession session, INDArray x, long[] shape, View view) throws Exception {
    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data().asFloat()), shape);
        OrtSession.Result r = session.run(Map.of("image", in))) {
      return (float[][]) r.get(OnnxExport.outputName(view)).orElseThrow().getValue();
    }
  }

  static float[][] rows(io.ibreid.eval.features.FeatureMatrix m) {
    float[][] out = new float[m.rows()][m.dim()];
    for (int r = 0; r < m.rows(); r++) {
      m.row(r, out[r]);
    }
    return out;
  }
}
