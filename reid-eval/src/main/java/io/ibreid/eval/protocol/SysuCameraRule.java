package io.ibreid.eval.protocol;

import io.ibreid.eval.ranking.CameraRule;

/**
 * The SYSU-MM01 camera rule. Cameras 2 (visible) and 3 (infrared) film the same place; the dataset's evaluation code
 * labels cameras by location ({@code 1, 2, 2, 4, 5, 6} for cameras 1..6) and removes, from each query's list, every
 * gallery image whose location equals the query's, whatever its identity. With the protocol's sets (queries from
 * cameras 3 and 6, gallery from cameras 1, 2, 4, 5) this means exactly: a camera-3 query never sees camera-2 gallery
 * images. (Same-camera images, which the protocol's sets never contain, are removed as well.)
 */
public final class SysuCameraRule implements CameraRule {
  /** Location label of a SYSU-MM01 camera. */
  public static int location(int camid) {
    return camid == 3 ? 2 : camid;
  }

  @Override
  public boolean removes(int queryCamid, int galleryCamid) {
    return location(queryCamid) == location(galleryCamid);
  }
}
