package io.ibreid.eval.distance;

import io.ibreid.eval.features.FeatureMatrix;

/** Creates a distance kernel for a query and a gallery matrix. */
@FunctionalInterface
public interface KernelFactory {
  /** OpenBLAS sgemm on the off-heap matrices (the default: no ND4J start-up). */
  KernelFactory BLAS = BlasKernel::new;
  /** ND4J mmul (copies both matrices into INDArrays). */
  KernelFactory ND4J = Nd4jKernel::of;

  DistanceKernel create(FeatureMatrix query, FeatureMatrix gallery, Distance distance);

  static KernelFactory parse(String name) {
    return switch (name) {
      case "blas" -> BLAS;
      case "nd4j" -> ND4J;
      default -> throw new io.ibreid.core.IbreidException("unknown backend [" + name + "], known options [blas, nd4j]");
    };
  }
}
