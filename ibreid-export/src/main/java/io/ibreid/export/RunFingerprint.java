package io.ibreid.export;

import io.ibreid.core.branch.View;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.eval.run.ModelFeatures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What identifies a run's test-time feature function: SHA-256 over the input shape, the parts of each modality's
 * feature ({@code visible.z,shared.z}, ...) and every parameter of the network (float32, little-endian), first 16
 * bytes in hex. Two opened checkpoints with the same weights and the same evaluation keys have the same fingerprint,
 * wherever the run folder lies; an ONNX export records it ({@code ibreid.run.fingerprint}) and a gallery index
 * refuses query features embedded under another one.
 */
public final class RunFingerprint {
  private RunFingerprint() {}

  public static String of(TrainedRun run, ModelFeatures features) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(run.model().imageShape().toString().getBytes(StandardCharsets.UTF_8));
      for (View v : View.values()) {
        sha.update((v + "=" + features.parts(v) + ";").getBytes(StandardCharsets.UTF_8));
      }
      INDArray params = run.model().graph().params().castTo(DataType.FLOAT);
      float[] f = params.dup('c').data().asFloat();
      ByteBuffer b = ByteBuffer.allocate(4 * 65536).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < f.length; i += 65536) {
        b.clear();
        int n = Math.min(65536, f.length - i);
        b.asFloatBuffer().put(f, i, n);
        sha.update(b.array(), 0, 4 * n);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
