/**
 * A run's folder and what is kept in it: the resolved config ({@link io.ibreid.core.run.RunDirectory}), the
 * checkpoints and the best one ({@link io.ibreid.core.run.Checkpoints}, which also says which checkpoint stands for
 * the run), a health check ({@link io.ibreid.core.run.RunDoctor}) and the run opened again for inference
 * ({@link io.ibreid.core.run.TrainedRun}).
 */
package io.ibreid.core.run;
