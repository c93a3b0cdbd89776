package dev.faascell.snapshot;

/** The answer to an explicit snapshot request (POST /v1/functions/{name}/snapshot). */
public sealed interface SnapshotOutcome {
  record Created(SnapshotRecord snapshot) implements SnapshotOutcome {}

  record Failed(String reason) implements SnapshotOutcome {}
}
