package dev.faascell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faascell.model.AllowRule;
import dev.faascell.model.NetworkPolicy;
import dev.faascell.network.NetworkAttachment;
import dev.faascell.network.NetworkManager;
import dev.faascell.network.NetworkSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What network egress adds to a VM's start. The NetworkManager's own step on the start path, measured
 * directly: a namespace made from nothing (what a cold boot pays when no spare is ready) and a spare
 * one taking the VM's rules (what a restore pays). Then the whole start through the API: cold boots and
 * restores of the same function without network and with egress, interleaved.
 */
@Command(name = "network", description = "Time network egress adds to a cold boot and a restore.")
final class NetworkBenchmark implements Callable<Integer> {
  private static final NetworkPolicy POLICY = new NetworkPolicy(NetworkPolicy.Mode.EGRESS,
      List.of(AllowRule.parse("10.1.2.0/24:443"), AllowRule.parse("10.9.9.9/32")), 0);

  @Option(names = "--attaches", defaultValue = "50", description = "namespace set-ups measured in each mode")
  int attaches;

  @Option(names = "--colds", defaultValue = "3")
  int colds;

  @Option(names = "--restores", defaultValue = "10")
  int restores;

  @Mixin
  LoadOptions options;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", Machine.describe());
    List<Long> fresh = new ArrayList<>();
    List<Long> removed = new ArrayList<>();
    try (NetworkManager manager = new NetworkManager(settings("fcbnf", 0))) {
      manager.reapStale();
      timeAttaches(manager, fresh, removed);
    }
    List<Long> recycled = new ArrayList<>();
    List<Long> kept = new ArrayList<>();
    try (NetworkManager manager = new NetworkManager(settings("fcbns", 1))) {
      manager.reapStale();
      manager.release(manager.attach("bench-warm-up", POLICY));   // from now on, a spare is always ready
      timeAttaches(manager, recycled, kept);
    }
    results.put("attach_new_namespace", Stats.of(fresh));
    results.put("release_remove", Stats.of(removed));
    results.put("attach_spare_namespace", Stats.of(recycled));
    results.put("release_keep", Stats.of(kept));

    Map<String, List<Long>> starts = new LinkedHashMap<>();
    try (LoadNode load = LoadNode.start(options.imageCache, Map.of("faascell.keep-alive.ttl", "200ms",
        "faascell.keep-alive.check-interval", "100ms", "faascell.network.address-range", "10.217.0.0/24"))) {
      String none = "";
      String egress = ",\"network\":{\"mode\":\"egress\",\"allow\":[\"10.1.2.0/24:443\"]}";
      for (int i = 1; i <= colds; i++) {
        for (String kind : List.of("none", "egress")) {
          load.deploy("bench-" + kind, i, kind.equals("none") ? none : egress);
          JsonNode reply = load.invoke("bench-" + kind, "{\"s\":0}");
          starts.computeIfAbsent("cold_boot_" + kind, k -> new ArrayList<>()).add((long) (reply.path("bootMs").asDouble() * 1e6));
        }
      }
      LoadNode.await(() -> load.get("/v1/snapshots").path("snapshots").size() >= 2, "both snapshots");
      for (int i = 0; i < restores; i++) {
        for (String kind : List.of("none", "egress")) {
          load.awaitNoVms();
          JsonNode reply = load.invoke("bench-" + kind, "{\"s\":0}");
          if (!reply.path("startKind").asText().equals("restore")) {
            throw new IllegalStateException("expected a restore, got " + reply);
          }
          starts.computeIfAbsent("restore_" + kind, k -> new ArrayList<>()).add((long) (reply.path("restoreMs").asDouble() * 1e6));
        }
      }
    }
    starts.forEach((name, nanos) -> results.put(name, Stats.of(nanos)));

    System.out.println("| step | n | p50 ms | p90 ms | p99 ms | max ms |");
    System.out.println("|---|---|---|---|---|---|");
    System.out.println(Stats.of(fresh).row("NetworkManager: new namespace + rules (a start with no spare)"));
    System.out.println(Stats.of(recycled).row("NetworkManager: spare namespace + rules (a restore's step)"));
    System.out.println(Stats.of(removed).row("NetworkManager: release, namespace removed"));
    System.out.println(Stats.of(kept).row("NetworkManager: release, namespace kept as spare"));
    starts.forEach((name, nanos) -> System.out.println(Stats.of(nanos).row(name.replace('_', ' ') + " (boot/restore stage)")));
    System.out.printf(Locale.ROOT, "%nrestore p50, egress - none: %.1f ms (goal <= 10 ms)%n",
        ((Stats) results.get("restore_egress")).p50Ms() - ((Stats) results.get("restore_none")).p50Ms());
    System.out.println("machine: " + results.get("machine"));
    options.write(results);
    return 0;
  }

  /** Attaches and releases {@code attaches} times, recording each step's duration. */
  private void timeAttaches(NetworkManager manager, List<Long> attach, List<Long> release) throws Exception {
    for (int i = 0; i < attaches; i++) {
      long start = System.nanoTime();
      NetworkAttachment attachment = manager.attach("bench-" + i, POLICY);
      attach.add(System.nanoTime() - start);
      start = System.nanoTime();
      manager.release(attachment);
      release.add(System.nanoTime() - start);
    }
  }

  private static NetworkSettings settings(String prefix, int spares) {
    return new NetworkSettings(AllowRule.parse("10.216." + spares + ".0/24"), prefix, 0, spares, true);
  }
}
