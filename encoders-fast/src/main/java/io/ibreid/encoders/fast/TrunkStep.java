package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One {@link TrunkPlan.Step} at run time, on the trunk's chosen {@link TrunkKernels}, with the arrays it keeps from
 * pass to pass (those of training passes apart from those of inference passes, so an evaluation between a training
 * pass and its backward pass leaves the latter's inputs alone).
 */
interface TrunkStep {
  /** The step's output for {@code x} (a kept array); a training pass also keeps what {@link #backward} reads. */
  INDArray forward(INDArray x, boolean training);

  /**
   * dL/dx from dL/d(output), for the {@code x} of the last training {@link #forward}; writes the step's parameter
   * gradients into the trunk's gradient views. Returns a kept array.
   */
  INDArray backward(INDArray x, INDArray dOut);
}
