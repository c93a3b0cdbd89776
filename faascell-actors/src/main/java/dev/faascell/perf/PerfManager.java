package dev.faascell.perf;

import dev.faascell.model.HostUsage;
import dev.faascell.vmm.VmInstance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 * faults and cgroup throttling. Feeds GET /v1/status and the node-wide gauges; measures its own cost.
 */
public final class PerfManager extends AbstractBehavior<PerfManager.Command> {
  /** The PerfManager's protocol. */
  public sealed interface Command {}

  /** A VM to measure until it is unregistered. */
  public record Register(String vmId, String function, VmInstance vm) implements Command {}

  public record Unregister(String vmId) implements Command {}

  /** The latest sample of every VM. */
  public record GetSamples(ActorRef<Map<String, VmSample>> replyTo) implements Command {}

  private record Tick() implements Command {}

  /** One VM's latest measurements. */
  public record VmSample(String vmId, String function, long pid, HostUsage usage, long pssKb, long sampledAtMillis) {}

  private final Map<String, Register> vms = new LinkedHashMap<>();
  private final Map<String, VmSample> samples = new LinkedHashMap<>();
  private final AtomicLong totalRssBytes = new AtomicLong();
  private final AtomicLong totalPssBytes = new AtomicLong();
  private final Timer sampling;

  public static Behavior<Command> create(Duration interval, MeterRegistry metrics) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), interval);
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
    return sample;
  }
}
