package io.ibreid.core.train;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Hands every event to each listener in order ({@link TrainerListener#all}). */
class Broadcast implements TrainerListener {
  private final List<TrainerListener> listeners;

  Broadcast(List<? extends TrainerListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void onStart(long startIteration, long totalIterations, String description) {
    listeners.forEach(l -> l.onStart(startIteration, totalIterations, description));
  }

  @Override
  public void onIteration(IterationRecord record) {
    listeners.forEach(l -> l.onIteration(record));
  }

  @Override
  public void onCheckpoint(Path checkpoint) {
    listeners.forEach(l -> l.onCheckpoint(checkpoint));
  }

  @Override
  public void onEpochEnd(int epoch, IterationRecord last) {
    listeners.forEach(l -> l.onEpochEnd(epoch, last));
  }

  @Override
  public void onValidation(int epoch, Map<String, Double> scores) {
    listeners.forEach(l -> l.onValidation(epoch, scores));
  }

  @Override
  public void onFinish(TrainingSummary summary) {
    listeners.forEach(l -> l.onFinish(summary));
  }

  @Override
  public void onLog(Level level, String message) {
    listeners.forEach(l -> l.onLog(level, message));
  }
}
