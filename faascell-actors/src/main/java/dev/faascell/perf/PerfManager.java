package dev.faascell.perf;

import dev.faascell.config.HostMemory;
import dev.faascell.model.HostUsage;
import dev.faascell.vmm.VmInstance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Host-side measurements of every running VM, sampled periodically (Workers measure each invocation
 * themselves, around its RUN): the VMM process's CPU time, resident and proportional memory, page
 * faults and cgroup throttling; and the host's available memory, every {@link #HOST_INTERVAL}. Feeds
 * GET /v1/status, the node-wide gauges and its subscriber (the VmPool, which accounts VMs by their
 * measured footprint and guards the host's memory); measures its own cost.
 */
public final class PerfManager extends AbstractBehavior<PerfManager.Command> {
  /** The PerfManager's protocol. */
  public sealed interface Command {}

  /** A VM to measure until it is unregistered. */
  public record Register(String vmId, String function, VmInstance vm) implements Command {}

  public record Unregister(String vmId) implements Command {}

  /** {@code subscriber} hears every measurement the VmPool's accounting uses. */
  public record Subscribe(ActorRef<Measured> subscriber) implements Command {}

  /** The latest sample of every VM. */
  public record GetSamples(ActorRef<Map<String, VmSample>> replyTo) implements Command {}

  private record Tick() implements Command {}

  private record HostTick() implements Command {}

  /** What a subscriber hears. */
  public sealed interface Measured {}

  /** The host's MemAvailable now. */
  public record HostAvailable(long availableMb) implements Measured {}

  /** A VM's proportional set size (its share of shared pages, all of its private ones) now. */
  public record Footprint(String vmId, long pssMb) implements Measured {}

  /** How often the host's available memory is read: starts in a burst must see it move. */
  static final Duration HOST_INTERVAL = Duration.ofMillis(250);

  /** One VM's latest measurements. */
  public record VmSample(String vmId, String function, long pid, HostUsage usage, long pssKb, long sampledAtMillis) {}

  private final Map<String, Register> vms = new LinkedHashMap<>();
  private final Map<String, VmSample> samples = new LinkedHashMap<>();
  private final AtomicLong totalRssBytes = new AtomicLong();
  private final AtomicLong totalPssBytes = new AtomicLong();
  private final Timer sampling;
  private final List<ActorRef<Measured>> subscribers = new ArrayList<>();

  public static Behavior<Command> create(Duration interval, MeterRegistry metrics) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), interval);
      timers.startTimerWithFixedDelay(new HostTick(), HOST_INTERVAL);
      return new PerfManager(ctx, metrics);
    }));
  }

  private PerfManager(ActorContext<Command> ctx, MeterRegistry metrics) {
    super(ctx);
    Gauge.builder("faascell.vms.memory.rss", totalRssBytes, AtomicLong::get).baseUnit("bytes")
        .description("resident memory of all VMM processes").register(metrics);
    Gauge.builder("faascell.vms.memory.pss", totalPssBytes, AtomicLong::get).baseUnit("bytes")
        .description("proportional memory of all VMM processes (shared snapshot pages counted once)").register(metrics);
    sampling = Timer.builder("faascell.perf.sampling").description("time PerfManager spends sampling all VMs once")
        .register(metrics);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Register.class, msg -> {
          vms.put(msg.vmId(), msg);
          sample(msg);
          return this;
        })
        .onMessage(Unregister.class, msg -> {
          vms.remove(msg.vmId());
          samples.remove(msg.vmId());
          return this;
        })
        .onMessage(GetSamples.class, msg -> {
          msg.replyTo().tell(Map.copyOf(samples));
          return this;
        })
        .onMessage(Tick.class, msg -> onTick())
        .onMessage(HostTick.class, msg -> {
          tellSubscribers(new HostAvailable(HostMemory.availableMb()));
          return this;
        })
        .onMessage(Subscribe.class, msg -> {
          subscribers.add(msg.subscriber());
          msg.subscriber().tell(new HostAvailable(HostMemory.availableMb()));
          return this;
        })
        .build();
  }

  private Behavior<Command> onTick() {
    long start = System.nanoTime();
    long rss = 0;
    long pss = 0;
    for (Register vm : vms.values()) {
      VmSample sample = sample(vm);
      rss += sample.usage().rssKb() * 1024;
      pss += sample.pssKb() * 1024;
    }
    totalRssBytes.set(rss);
    totalPssBytes.set(pss);
    sampling.record(Duration.ofNanos(System.nanoTime() - start));
    return this;
  }

  private VmSample sample(Register vm) {
    long pid = vm.vm().pid();
    VmSample sample = new VmSample(vm.vmId(), vm.function(), pid, ProcessSampler.sample(vm.vm()),
        ProcessSampler.pssKb(pid), System.currentTimeMillis());
    samples.put(vm.vmId(), sample);
    if (sample.pssKb() > 0) {
      tellSubscribers(new Footprint(vm.vmId(), sample.pssKb() / 1024));
    }
    return sample;
  }

  private void tellSubscribers(Measured measured) {
    subscribers.forEach(subscriber -> subscriber.tell(measured));
  }
}
