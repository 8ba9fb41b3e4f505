package io.ibreid.core.natives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** The BLAS threads of a training loop: the setting, OpenMP's count kept, the restore, and bad values. */
class TrainingThreadsTest {
  @AfterEach
  void clear() {
    System.clearProperty(NativeRuntime.TRAINING_BLAS_THREADS_PROPERTY);
  }

  private static int blas() {
    return Nd4j.factory().blas().getMaxThreads();
  }

  private static int omp() {
    return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
  }

  @Test
  void anExplicitCountHoldsInsideAndTheOldOneIsRestored() {
    NativeRuntime.load();
    int before = blas();
    int ompBefore = omp();
    int wanted = before == 3 ? 2 : 3;
    System.setProperty(NativeRuntime.TRAINING_BLAS_THREADS_PROPERTY, Integer.toString(wanted));
    try (NativeRuntime.TrainingThreads t = NativeRuntime.trainingThreads()) {
      assertThat(t.blas()).isEqualTo(wanted);
      assertThat(t.previousBlas()).isEqualTo(before);
      assertThat(blas()).isEqualTo(wanted);
      assertThat(omp()).isEqualTo(ompBefore);
      assertThat(t.describe()).startsWith("BLAS " + wanted + " thread(s) while training");
    }
    assertThat(blas()).isEqualTo(before);
    assertThat(omp()).isEqualTo(ompBefore);
  }

  @Test
  void keepLeavesTheCountAlone() {
    NativeRuntime.load();
    int before = blas();
    System.setProperty(NativeRuntime.TRAINING_BLAS_THREADS_PROPERTY, "keep");
    try (NativeRuntime.TrainingThreads t = NativeRuntime.trainingThreads()) {
      assertThat(t.blas()).isEqualTo(before);
      assertThat(blas()).isEqualTo(before);
    }
  }

  @Test
  void theDefaultIsOneThreadWhenNothingIsSet() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getenv(NativeRuntime.TRAINING_BLAS_THREADS_ENVIRONMENT) == null);
    try (NativeRuntime.TrainingThreads t = NativeRuntime.trainingThreads()) {
      assertThat(t.blas()).isEqualTo(1);
      assertThat(blas()).isEqualTo(1);
    }
  }

  @Test
  void aBadValueIsOneLineNamingIt() {
    for (String bad : new String[] {"0", "-2", "two"}) {
      System.setProperty(NativeRuntime.TRAINING_BLAS_THREADS_PROPERTY, bad);
      assertThatThrownBy(NativeRuntime::trainingThreads).isInstanceOf(IbreidException.class)
          .hasMessage("-Dibreid.training.blasThreads=" + bad
              + ": expected a positive number of BLAS threads or \"keep\"");
    }
  }
}
