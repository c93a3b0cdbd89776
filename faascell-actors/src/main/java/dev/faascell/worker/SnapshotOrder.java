package dev.faascell.worker;

import dev.faascell.snapshot.SnapshotOutcome;
import dev.faascell.vmm.SnapshotFormat;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/** Take a snapshot of this format right after the function has loaded; tell {@code requester} how it went. */
public record SnapshotOrder(SnapshotFormat format, Optional<ActorRef<SnapshotOutcome>> requester) {}
