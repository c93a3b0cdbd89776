package dev.faascell.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code faascell status}: the node's capacity, VMs, snapshots and queue, as a table. */
@Command(name = "status", description = "Show the node's capacity, VMs, snapshots and queue.")
final class StatusCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin
  UrlOption api;

  @Option(names = {"-w", "--watch"}, description = "redraw every SECONDS seconds until interrupted", paramLabel = "SECONDS",
      arity = "0..1", fallbackValue = "2")
  Integer watchSeconds;

  @Option(names = "--json", description = "print the raw JSON document")
  boolean raw;

  @Override
  public Integer call() throws Exception {
    do {
      String body = api.expectOk("GET", "/v1/status", null);
      if (watchSeconds != null) {
        System.out.print("\033[H\033[2J");
      }
      if (raw) {
        System.out.println(body);
      } else {
        print(JSON.readTree(body), System.out);
      }
      System.out.flush();
      if (watchSeconds != null) {
        Thread.sleep(watchSeconds * 1000L);
      }
    } while (watchSeconds != null);
    return 0;
  }

  static void print(JsonNode status, PrintStream out) throws IOException {
    JsonNode node = status.path("node");
    out.printf("node   %s   image %s%n", node.path("vmm").asText(), node.path("image").asText());
    out.printf("memory %d / %d MiB accounted   host %d MiB available (reserve %d)   vCPUs %d held%s%n",
        node.path("memoryAccountedMb").asLong(), node.path("memoryCapacityMb").asLong(),
        node.path("hostAvailableMb").asLong(), node.path("memoryReserveMb").asLong(), node.path("vcpusHeld").asInt(),
        node.has("vcpuCapacity") ? " / " + node.path("vcpuCapacity").asInt() : "");
    out.printf("VMs %d%s   start slots %d / %d in use, %d waiting   queue %d / %d%n", status.path("vms").size(),
        node.has("maxVms") ? " / " + node.path("maxVms").asInt() : "", node.path("startSlotsInUse").asInt(),
        node.path("startSlots").asInt(), node.path("startsWaiting").asInt(), status.path("queue").path("length").asInt(),
        status.path("queue").path("capacity").asInt());
    out.println();
    out.printf("%-8s %-20s %-16s %7s %9s %9s %8s %8s %8s%n", "VM", "FUNCTION", "STATE", "MEMORY", "AGE", "IDLE",
        "CALLS", "RSS", "PSS");
    for (JsonNode vm : status.path("vms")) {
      JsonNode host = vm.path("host");
      out.printf("%-8s %-20s %-16s %5dMi %8.1fs %8.1fs %8d %6dMi %6dMi%n", vm.path("vmId").asText(),
          vm.path("function").asText(), vm.path("state").asText(), vm.path("memoryMb").asInt(),
          vm.path("ageMs").asLong() / 1000.0, vm.path("idleMs").asLong() / 1000.0, vm.path("invocations").asLong(),
          host.path("rssKb").asLong() / 1024, host.path("pssKb").asLong() / 1024);
    }
    out.println();
    out.printf("%-8s %8s %10s%n", "TIER", "SNAPSHOTS", "SIZE");
    for (Map.Entry<String, JsonNode> tier : status.path("snapshots").properties()) {
      out.printf("%-8s %8d %8dMi%n", tier.getKey(), tier.getValue().path("count").asInt(),
          tier.getValue().path("bytes").asLong() >> 20);
    }
    JsonNode cluster = status.path("cluster");
    if (cluster.isObject()) {
      out.println();
      out.printf("cluster on %s, this node %s, %d alive%n", cluster.path("bootstrap").asText(),
          cluster.path("node").asText(), cluster.path("aliveNodes").asInt());
      out.printf("%-20s %-6s %8s %5s %5s %13s %9s%n", "NODE", "ALIVE", "SEEN", "VMS", "BUSY", "MEMORY MiB", "QUEUE");
      for (JsonNode member : cluster.path("nodes")) {
        out.printf("%-20s %-6s %7.1fs %5d %5d %6d/%-6d %4d/%-4d%n", member.path("node").asText(),
            member.path("alive").asBoolean() ? "yes" : "no", member.path("lastSeenMs").asLong() / 1000.0,
            member.path("vms").asInt(), member.path("busyVms").asInt(), member.path("memoryAccountedMb").asLong(),
            member.path("memoryCapacityMb").asLong(), member.path("queueLength").asInt(),
            member.path("queueCapacity").asInt());
      }
    }
  }
}
