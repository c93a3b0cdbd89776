package dev.faascell.replay.driver;

/** Told how a replay goes, a few times a second and once at its end. */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {
    @Override
    public void update(Progress progress) {
    }

    @Override
    public void finish(Progress progress) {
    }
  };

  void update(Progress progress);

  void finish(Progress progress);
}
