package dev.faascell.source.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.dispatcher.Dispatcher.QueueStatus;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.Timing;
import dev.faascell.perf.PerfManager;
import dev.faascell.registry.DeployedFunction;
import java.util.List;
import java.util.Map;
import dev.faascell.snapshot.SnapshotRecord;
import dev.faascell.vmpool.PoolStatus;
import dev.faascell.vmpool.VmStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The API's JSON documents (docs/API.md), written in one place. */
public final class ApiJson {
  private final ObjectMapper json;

  public ApiJson(ObjectMapper json) {
    this.json = json;
  }

  ObjectNode function(DeployedFunction deployed) {
    FunctionSpec spec = deployed.spec();
    ObjectNode node = json.createObjectNode()
        .put("name", spec.name().value())
        .put("version", spec.version())
        .put("runtime", spec.runtime().wireName())
        .put("handler", spec.handler())
        .put("memoryMb", spec.memoryMb())
        .put("vcpus", spec.vcpus())
        .put("timeoutMs", spec.timeout().toMillis());
    ObjectNode env = node.putObject("env");
    spec.env().forEach(env::put);
    FunctionRequest.writeNetwork(spec.network(), node.putObject("network"));
    node.putObject("code")
        .put("format", spec.code().format().name().toLowerCase(java.util.Locale.ROOT))
        .put("file", spec.code().fileName())
        .put("bytes", spec.code().size())
        .put("sha256", spec.code().sha256());
    node.put("createdAt", deployed.createdAt().toString()).put("updatedAt", deployed.updatedAt().toString());
    return node;
  }

  ObjectNode functions(Iterable<DeployedFunction> deployed) {
    ObjectNode root = json.createObjectNode();
    ArrayNode list = root.putArray("functions");
    deployed.forEach(f -> list.add(function(f)));
    return root;
  }

  ObjectNode snapshot(SnapshotRecord r) {
    return json.createObjectNode()
        .put("id", r.id())
        .put("function", r.function().value())
        .put("functionVersion", r.functionVersion())
        .put("format", r.format().wireName())
        .put("tier", r.tier())
        .put("directory", r.directory().toString())
        .put("memoryMb", r.memoryMb())
        .put("bytes", r.bytes())
        .put("stateBytes", r.stateBytes())
        .put("ramBytes", r.ramBytes())
        .put("createdAt", r.createdAt().toString())
        .put("lastRestoredAt", r.lastRestoredAt().equals(java.time.Instant.EPOCH) ? null : r.lastRestoredAt().toString())
        .put("restoreCount", r.restoreCount())
        .put("platform", r.platform());
  }

  ObjectNode snapshots(java.util.List<SnapshotRecord> records) {
    ObjectNode root = json.createObjectNode();
    ArrayNode list = root.putArray("snapshots");
    records.stream().sorted(java.util.Comparator.comparing(SnapshotRecord::createdAt)).forEach(r -> list.add(snapshot(r)));
    return root;
  }

  public ObjectNode error(int status, String kind, String message) {
    ObjectNode root = json.createObjectNode();
    root.putObject("error").put("status", status).put("kind", kind).put("message", message);
    return root;
  }

  ObjectNode status(PoolStatus pool, QueueStatus queue, Map<String, PerfManager.VmSample> perf,
                    List<SnapshotRecord> snapshots, String vmm, String image) {
    ObjectNode root = json.createObjectNode();
    ObjectNode node = root.putObject("node").put("vmm", vmm).put("image", image)
        .put("memoryCapacityMb", pool.memoryCapacityMb()).put("memoryAccountedMb", pool.memoryAccountedMb())
        .put("memoryReserveMb", pool.memoryReserveMb()).put("hostAvailableMb", pool.hostAvailableMb())
        .put("vcpusHeld", pool.vcpusHeld()).put("startSlots", pool.startSlots())
        .put("startSlotsInUse", pool.startSlotsInUse()).put("startsWaiting", pool.startsWaiting());
    // limits that are off (the defaults: memory decides) are absent
    if (pool.maxVms() < Integer.MAX_VALUE) {
      node.put("maxVms", pool.maxVms());
    }
    if (pool.vcpuCapacity() < Integer.MAX_VALUE) {
      node.put("vcpuCapacity", pool.vcpuCapacity());
    }
    root.putObject("queue").put("length", queue.length()).put("capacity", queue.capacity());
    ArrayNode vms = root.putArray("vms");
    for (VmStatus vm : pool.vms()) {
      ObjectNode entry = vms.addObject().put("vmId", vm.vmId()).put("function", vm.function())
          .put("version", vm.functionVersion()).put("state", vm.state().wireName()).put("memoryMb", vm.memoryMb())
          .put("accountedMb", vm.accountedMb()).put("ageMs", vm.ageMillis()).put("idleMs", vm.idleMillis())
          .put("invocations", vm.invocations());
      PerfManager.VmSample sample = perf.get(vm.vmId());
      if (sample != null) {
        entry.putObject("host").put("pid", sample.pid()).put("cpuMs", sample.usage().cpuNanos() / 1_000_000)
            .put("rssKb", sample.usage().rssKb()).put("pssKb", sample.pssKb())
            .put("minorFaults", sample.usage().minorFaults()).put("majorFaults", sample.usage().majorFaults())
            .put("throttledMs", sample.usage().throttledNanos() / 1_000_000);
      }
    }
    ObjectNode tiers = root.putObject("snapshots");
    for (SnapshotRecord record : snapshots) {
      ObjectNode tier = tiers.has(record.tier()) ? (ObjectNode) tiers.get(record.tier())
          : tiers.putObject(record.tier()).put("count", 0).put("bytes", 0L);
      tier.put("count", tier.get("count").asInt() + 1).put("bytes", tier.get("bytes").asLong() + record.bytes());
    }
    return root;
  }

  /** The HTTP status an invocation's result is answered with (docs/API.md). */
  public static int status(InvocationResult result) {
    return result instanceof InvocationResult.Failed failed ? failed.kind().httpStatus() : 200;
  }

  /** The reply to an invocation; written by hand so the function's JSON result is copied, not re-parsed. */
  public byte[] invocation(InvocationResult result) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("invocationId", result.invocationId());
      g.writeStringField("function", result.function().value());
      if (result instanceof InvocationResult.Completed done) {
        g.writeFieldName("result");
        writeResult(g, done.output());
        g.writeStringField("startKind", done.startKind().wireName());
        g.writeStringField("vmId", done.vmId());
        writeTiming(g, result.timing());
        g.writeStringField("logs", done.stderrTail());
      } else if (result instanceof InvocationResult.Failed failed) {
        g.writeObjectFieldStart("error");
        g.writeNumberField("status", failed.kind().httpStatus());
        g.writeStringField("kind", failed.kind().code());
        g.writeStringField("message", failed.message());
        g.writeEndObject();
        g.writeStringField("startKind", failed.startKind() == null ? null : failed.startKind().wireName());
        g.writeStringField("vmId", failed.vmId());
        writeTiming(g, result.timing());
        g.writeStringField("logs", failed.stderrTail());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A result that is JSON (always, for python) is embedded as JSON, anything else (an executable's
   * plain stdout) as a string. The guest is untrusted, so even python's result is parsed, never
   * copied raw into the reply.
   */
  private void writeResult(JsonGenerator g, byte[] output) throws IOException {
    if (output.length == 0) {
      g.writeNull();
      return;
    }
    try {
      g.writeTree(json.readTree(output));
    } catch (IOException notJson) {
      g.writeString(new String(output, StandardCharsets.UTF_8));
    }
  }

  private static void writeTiming(JsonGenerator g, Timing t) throws IOException {
    g.writeNumberField("queueMs", millis(t.queueNanos()));
    g.writeNumberField("acquireMs", millis(t.acquireNanos()));
    g.writeNumberField("bootMs", millis(t.bootNanos()));
    g.writeNumberField("restoreMs", millis(t.restoreNanos()));
    g.writeNumberField("initMs", millis(t.initNanos()));
    g.writeNumberField("runMs", millis(t.runNanos()));
    g.writeNumberField("execMs", millis(t.execNanos()));
    g.writeNumberField("totalMs", millis(t.totalNanos()));
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }
}
