package dev.faascell.replay.azure;

import java.util.Comparator;

/** A function of the Azure trace: its owner's, app's and own hashes (the trace's identity of a function). */
public record FunctionKey(String owner, String app, String function) implements Comparable<FunctionKey> {
  private static final Comparator<FunctionKey> ORDER = Comparator.comparing(FunctionKey::function)
      .thenComparing(FunctionKey::app).thenComparing(FunctionKey::owner);

  public AppKey appKey() {
    return new AppKey(owner, app);
  }

  @Override
  public int compareTo(FunctionKey other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return owner + "/" + app + "/" + function;
  }

  /** An app of the trace; memory is recorded per app. */
  public record AppKey(String owner, String app) {}
}
