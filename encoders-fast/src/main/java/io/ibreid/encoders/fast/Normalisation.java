package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The batch normalisation of one unit followed by its ReLU, if it has one, as the trunk's {@link TrunkKernels} run
 * them (oneDNN fuses the two). Training mode normalises with the batch's statistics, updates the running ones in
 * place (a non-finite batch statistic leaves them as they were) and keeps what the backward pass needs; inference
 * mode normalises with the running statistics. Arrays are the trunk's kept buffers.
 */
interface Normalisation {
  /** y = ReLU(γ·(c − μ)/√(σ² + ε) + β), without the ReLU when the unit has none. */
  void forward(INDArray c, INDArray y, boolean training);

  /**
   * dc from dy (the gradient of this unit's output, before the ReLU's mask) for the c and y of the last training
   * {@link #forward}; writes dγ and dβ into the unit's gradient views.
   */
  void backward(INDArray c, INDArray y, INDArray dy, INDArray dc);
}
