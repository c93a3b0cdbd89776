package dev.faascell.perf;

import dev.faascell.blockingio.BlockingIo;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
 * measured footprint and guards the host's memory); measures its own cost. The /proc reads run on the
 * blocking I/O dispatcher; their results come back as its own messages.
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

  /** VMs were sampled, in {@code nanos}; {@code round}: every registered VM (a Tick), else a newly registered one. */
  private record Sampled(List<VmSample> samples, long nanos, boolean round) implements Command {}

  private record HostRead(long availableMb) implements Command {}

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
  private final Timer samplingCost;
  private final List<ActorRef<Measured>> subscribers = new ArrayList<>();
  private final Executor io;
  /** A sampling round or a host read is under way: a tick meanwhile is skipped, never queued behind it. */
  private boolean sampling;
  private boolean readingHost;

  public static Behavior<Command> create(Duration interval, MeterRegistry metrics) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), interval);
      timers.startTimerWithFixedDelay(new HostTick(), HOST_INTERVAL);
      return new PerfManager(ctx, metrics);
    }));
  }

  private PerfManager(ActorContext<Command> ctx, MeterRegistry metrics) {
    super(ctx);
    io = BlockingIo.executor(ctx);
    Gauge.builder("faascell.vms.memory.rss", totalRssBytes, AtomicLong::get).baseUnit("bytes")
        .description("resident memory of all VMM processes").register(metrics);
    Gauge.builder("faascell.vms.memory.pss", totalPssBytes, AtomicLong::get).baseUnit("bytes")
        .description("proportional memory of all VMM processes (shared snapshot pages counted once)").register(metrics);
    samplingCost = Timer.builder("faascell.perf.sampling").description("time PerfManager spends sampling all VMs once")
        .register(metrics);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Register.class, msg -> {
          vms.put(msg.vmId(), msg);
          sample(List.of(msg), false);
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
        .onMessage(Tick.class, msg -> {
          if (!sampling) {
            sampling = true;
            sample(List.copyOf(vms.values()), true);
          }
          return this;
        })
        .onMessage(Sampled.class, this::onSampled)
        .onMessage(HostTick.class, msg -> {
          readHost();
          return this;
        })
        .onMessage(HostRead.class, msg -> {
          readingHost = false;
          tellSubscribers(new HostAvailable(msg.availableMb()));
          return this;
        })
        .onMessage(Subscribe.class, msg -> {
          subscribers.add(msg.subscriber());
          readHost();   // a new subscriber hears the host's memory at once
          return this;
        })
        .build();
  }

  private void sample(List<Register> targets, boolean round) {
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      long start = System.nanoTime();
      List<VmSample> taken = targets.stream().map(PerfManager::measure).toList();
      return new Sampled(taken, System.nanoTime() - start, round);
    }, io), (sampled, error) -> error == null ? sampled : new Sampled(List.of(), 0, round));
  }

  private static VmSample measure(Register vm) {
    long pid = vm.vm().pid();
    return new VmSample(vm.vmId(), vm.function(), pid, ProcessSampler.sample(vm.vm()), ProcessSampler.pssKb(pid),
        System.currentTimeMillis());
  }

  /** Keeps the samples of VMs still registered; a round also sets the totals and its cost. */
  private Behavior<Command> onSampled(Sampled sampled) {
    long rss = 0;
    long pss = 0;
    for (VmSample sample : sampled.samples()) {
      if (!vms.containsKey(sample.vmId())) {
        continue;   // unregistered while it was sampled
      }
      samples.put(sample.vmId(), sample);
      rss += sample.usage().rssKb() * 1024;
      pss += sample.pssKb() * 1024;
      if (sample.pssKb() > 0) {
        tellSubscribers(new Footprint(sample.vmId(), sample.pssKb() / 1024));
      }
    }
    if (sampled.round()) {
      sampling = false;
      totalRssBytes.set(rss);
      totalPssBytes.set(pss);
      samplingCost.record(Duration.ofNanos(sampled.nanos()));
    }
    return this;
  }

  private void readHost() {
    if (!readingHost) {
      readingHost = true;
      getContext().pipeToSelf(CompletableFuture.supplyAsync(HostMemory::availableMb, io),
          (mb, error) -> new HostRead(error == null ? mb : 0));
    }
  }

  private void tellSubscribers(Measured measured) {
    subscribers.forEach(subscriber -> subscriber.tell(measured));
  }
}
