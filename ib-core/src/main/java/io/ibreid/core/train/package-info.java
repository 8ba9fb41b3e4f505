/**
 * Training. The loop ({@link io.ibreid.core.train.Trainer}): a short step, with checkpoints, validation, metrics and
 * the log hung off it as hooks; its optimiser ({@link io.ibreid.core.train.Optimizer}: Adam on the
 * {@link io.ibreid.core.train.WarmupStepSchedule}); what a caller observes ({@link io.ibreid.core.train.TrainerListener},
 * {@link io.ibreid.core.train.IterationRecord}, {@link io.ibreid.core.train.TrainingSummary}); and the Guice wiring of a
 * training run from its config ({@link io.ibreid.core.train.TrainingModule}).
 * {@code WarmupStepSchedule} stays in this package: checkpoints name its class in their {@code configuration.json}.
 */
package io.ibreid.core.train;
