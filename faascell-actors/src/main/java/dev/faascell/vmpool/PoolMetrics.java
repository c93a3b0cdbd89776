package dev.faascell.vmpool;

import dev.faascell.config.NodeCapacity;
import dev.faascell.model.FunctionName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's gauges, counters and decision log. Gauges read the immutable {@link Counts} the pool
 * publishes after each change (never the actor's own fields, which the scrape thread must not touch),
 * so that one scrape sees one moment of the pool.
 */
final class PoolMetrics {
  private static final Logger log = LoggerFactory.getLogger(VmPool.class);
  /** Invocations whose decision to wait was logged, so that each is logged once however often it is offered. */
  private static final int LOGGED_WAITS = 4096;

  private final MeterRegistry registry;
  private final VmPool.Policies policies;
  private final MultiGauge vms;
  private final AtomicReference<Counts> published = new AtomicReference<>(new Counts(0, 0, 0, 0));
  private final Map<String, Boolean> loggedWaits = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > LOGGED_WAITS;
    }
  };

  /** The pool's counts at one moment. */
  record Counts(long accountedMb, int heldVcpus, int slotsInUse, int startsWaiting) {}

  PoolMetrics(MeterRegistry registry, NodeCapacity capacity, VmPool.Policies policies) {
    this.registry = registry;
    this.policies = policies;
    this.vms = MultiGauge.builder("faascell.vms").description("VMs by state and function").register(registry);
    Gauge.builder("faascell.node.memory.accounted", published, p -> p.get().accountedMb() * (1 << 20)).baseUnit("bytes")
        .description("memory the node accounts to its VMs (estimates raised to measured footprints)").register(registry);
    Gauge.builder("faascell.node.memory.capacity", () -> (double) capacity.memoryMb() * (1 << 20)).baseUnit("bytes")
        .description("memory the VMs' accounted memory may add up to").register(registry);
    Gauge.builder("faascell.node.memory.reserve", () -> (double) capacity.reserveMb() * (1 << 20)).baseUnit("bytes")
        .description("host memory no VM start may eat into").register(registry);
    Gauge.builder("faascell.node.vcpus.held", published, p -> p.get().heldVcpus())
        .description("vCPUs held by VMs running (or starting for) an invocation").register(registry);
    Gauge.builder("faascell.start.slots", capacity::startSlots).description("VM starts the node runs at once")
        .register(registry);
    Gauge.builder("faascell.start.slots.in.use", published, p -> p.get().slotsInUse()).description("VM starts under way")
        .register(registry);
    Gauge.builder("faascell.starts.waiting", published, p -> p.get().startsWaiting())
        .description("VM starts waiting for a start slot").register(registry);
  }

  void publish(Collection<PoolVm> all, Counts counts) {
    Map<List<String>, Integer> byStateAndFunction = new HashMap<>();
    for (PoolVm vm : all) {
      byStateAndFunction.merge(List.of(vm.state.wireName(), vm.function.name().value()), 1, Integer::sum);
    }
    vms.register(byStateAndFunction.entrySet().stream()
        .map(e -> MultiGauge.Row.of(Tags.of("state", e.getKey().get(0), "function", e.getKey().get(1)), e.getValue()))
        .toList(), true);
    published.set(counts);
  }

  void scalingStart(FunctionName function, String reason) {
    decision("start");
    log.debug("event=scaling-start function={} policy={} reason=\"{}\"", function, policies.scaling().name(), reason);
  }

  /** A decision to wait is counted and logged once per invocation, though it is taken at every offer. */
  void scalingWait(String invocationId, FunctionName function, String reason) {
    if (loggedWaits.put(invocationId, Boolean.TRUE) == null) {
      decision("wait");
      log.info("event=scaling-wait invocation={} function={} policy={} reason=\"{}\"", invocationId, function,
          policies.scaling().name(), reason);
    }
  }

  private void decision(String decision) {
    Counter.builder("faascell.scaling.decisions").description("scaling decisions for invocations without an idle VM")
        .tag("policy", policies.scaling().name()).tag("decision", decision).register(registry).increment();
  }

  /** A failed restore's invocation goes to another restore ({@code restoreAgain}) or to a cold boot. */
  void restoreReplaced(boolean restoreAgain, String reason, FunctionName function, String detail) {
    String name = restoreAgain ? "faascell.start.retries" : "faascell.start.fallbacks";
    Counter.builder(name).description(restoreAgain ? "failed restores whose invocation was restored again"
            : "failed restores whose invocation fell back to a cold boot")
        .tag("reason", reason).register(registry).increment();
    log.warn("event={} function={} reason={} detail=\"{}\"", restoreAgain ? "restore-retry" : "cold-fallback",
        function, reason, detail.replace('"', '\''));
  }

  /** A sound snapshot's restores kept failing: the host was too busy, the invocation ends with 503. */
  void hostBusy(FunctionName function, String detail) {
    Counter.builder("faascell.start.failures").description("starts given up on without blaming the snapshot")
        .tag("reason", "host-busy").register(registry).increment();
    log.warn("event=start-given-up function={} reason=host-busy detail=\"{}\"", function, detail.replace('"', '\''));
  }

  void eviction(String cause) {
    Counter.builder("faascell.vm.evictions").description("idle VMs stopped by the keep-alive policy")
        .tag("policy", policies.keepAlive().name()).tag("cause", cause).register(registry).increment();
  }

  void prewarm(FunctionName function, String reason) {
    Counter.builder("faascell.vm.prewarms").description("VMs started ahead of a predicted invocation")
        .tag("policy", policies.keepAlive().name()).register(registry).increment();
    log.info("event=vm-prewarm function={} policy={} reason=\"{}\"", function, policies.keepAlive().name(), reason);
  }
}
