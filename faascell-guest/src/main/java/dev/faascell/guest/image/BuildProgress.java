package dev.faascell.guest.image;

/** Receives the image builder's progress: step {@code step} of {@code steps} has started. */
@FunctionalInterface
public interface BuildProgress {
  void step(int step, int steps, String description);

  BuildProgress SILENT = (step, steps, description) -> { };
}
