package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One {@link TrunkPlan.Step} at run time, on the trunk's chosen {@link TrunkKernels}. A training pass writes into
 * arrays the step keeps from pass to pass (what its backward pass reads); inference passes and the backward pass
 * use the trunk's {@link Scratch} arrays, so an evaluation between a training pass and its backward pass leaves the
 * latter's inputs alone.
 */
interface TrunkStep {
  /** The step's output for {@code x} in a training pass: a kept array ({@code scratch} for its temporaries). */
  INDArray train(INDArray x, Scratch scratch);

  /**
   * The step's output for {@code x} in an inference pass: a {@link Scratch} array, possibly {@code x} itself
   * (overwritten), which the caller gives back when it is done with it. {@code x} is not needed after this call.
   */
  INDArray infer(INDArray x, Scratch scratch);

  /**
   * dL/dx from dL/d(output) {@code dOut}, for the {@code x} of the last {@link #train}; writes the step's parameter
   * gradients into the trunk's gradient views. May overwrite {@code dOut}; returns a {@link Scratch} array (possibly
   * {@code dOut} itself). The caller gives back {@code dOut} when the result is another array.
   */
  INDArray backward(INDArray x, INDArray dOut, Scratch scratch);
}
