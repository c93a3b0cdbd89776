package dev.faascell.worker;

import java.util.Optional;

/**
 * A VM's start in progress, the data of the Worker's starting states: its cost so far, the job waiting
 * for it, and the snapshot to take once the function has loaded.
 */
record Start(StartCost cost, Optional<Running> first, Optional<SnapshotOrder> order) {
  Start cost(StartCost next) {
    return new Start(next, first, order);
  }

  Start withoutOrder() {
    return new Start(cost, first, Optional.empty());
  }
}
