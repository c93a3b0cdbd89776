package dev.faascell.registry;

import dev.faascell.config.FunctionLimits;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.Handlers;
import dev.faascell.store.NodeStore;
import dev.faascell.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deployed functions: kept in the node store, served from memory (the invoke path only reads, and
 * never waits on a deploy). Deploys and deletes are told to a {@link Listener}, which retires VMs of
 * old versions and ends queued invocations of deleted functions.
 */
public final class FunctionRegistry {
  /** Hears of changes after they are stored. */
  public interface Listener {
    void deployed(FunctionSpec function);

    void removed(FunctionName function);
  }

  /** What a deploy did. */
  public enum DeployOutcome { CREATED, UPDATED, UNCHANGED }

  private final NodeStore store;
  private final FunctionLimits limits;
  private final Clock clock;
  private final Map<FunctionName, DeployedFunction> functions = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  public FunctionRegistry(NodeStore store, FunctionLimits limits, Clock clock) throws StoreException {
    this.store = store;
    this.limits = limits;
    this.clock = clock;
    for (DeployedFunction function : store.loadFunctions()) {
      functions.put(function.spec().name(), function);
    }
  }

  /** Adds a listener (the actors, the cluster's function topic): each hears of every change. */
  public void listen(Listener listener) {
    listeners.add(listener);
  }

  public FunctionLimits limits() {
    return limits;
  }

  public Optional<DeployedFunction> get(FunctionName name) {
    return Optional.ofNullable(functions.get(name));
  }

  public List<DeployedFunction> list() {
    return functions.values().stream().sorted(Comparator.comparing(f -> f.spec().name().value())).toList();
  }

  /**
   * Stores the function; a changed spec replaces the old one and retires its VMs. A handler that is
   * not in the code is refused here, the one path every API deploys through.
   */
  public synchronized DeployOutcome deploy(FunctionSpec spec) throws StoreException {
    limits.check(spec);
    Handlers.check(spec);
    DeployedFunction existing = functions.get(spec.name());
    if (existing != null && existing.spec().version().equals(spec.version())) {
      return DeployOutcome.UNCHANGED;
    }
    Instant now = clock.instant();
    DeployedFunction deployed = new DeployedFunction(spec, existing == null ? now : existing.createdAt(), now);
    store.saveFunction(deployed);
    functions.put(spec.name(), deployed);
    listeners.forEach(listener -> listener.deployed(spec));
    return existing == null ? DeployOutcome.CREATED : DeployOutcome.UPDATED;
  }

  public synchronized boolean remove(FunctionName name) throws StoreException {
    if (!functions.containsKey(name)) {
      return false;
    }
    store.deleteFunction(name);
    functions.remove(name);
    listeners.forEach(listener -> listener.removed(name));
    return true;
  }
}
