package io.ibreid.eval.protocol;

import io.ibreid.core.IbreidException;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.ranking.CameraRule;
import io.ibreid.eval.ranking.CmcConvention;
import java.util.List;
import java.util.Locale;

/**
 * The ranking rules of a dataset, for features whose query and gallery sets are already chosen: SYSU-MM01 applies
 * {@link SysuCameraRule} (cameras must be 1..6) and counts CMC over distinct identities, as its evaluation code does;
 * RegDB removes nothing and counts CMC image by image, as the evaluation RegDB results are published with (the AGW
 * baseline's {@code eval_regdb}).
 */
public enum EvalProtocol {
  SYSU(new SysuCameraRule(), CmcConvention.IDENTITY),
  REGDB(CameraRule.NONE, CmcConvention.IMAGE);

  private final CameraRule rule;
  private final CmcConvention cmc;

  EvalProtocol(CameraRule rule, CmcConvention cmc) {
    this.rule = rule;
    this.cmc = cmc;
  }

  public CameraRule cameraRule() {
    return rule;
  }

  /** The CMC convention of the data set's published evaluation. */
  public CmcConvention defaultCmc() {
    return cmc;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EvalProtocol parse(String s) {
    for (EvalProtocol p : values()) {
      if (p.label().equals(s)) {
        return p;
      }
    }
    throw new IbreidException("unknown protocol [" + s + "], known options [sysu, regdb]");
  }

  /** Fails with one line when a metadata row is impossible for this protocol. */
  public void check(List<ImageMeta> meta, String source) {
    if (this != SYSU) {
      return;
    }
    for (int i = 0; i < meta.size(); i++) {
      int cam = meta.get(i).camid();
      if (cam < 1 || cam > 6) {
        throw new IbreidException(source + " row " + (i + 1) + " (" + meta.get(i).path() + "): camid " + cam
            + " is not a SYSU-MM01 camera; expected 1..6");
      }
    }
  }
}
