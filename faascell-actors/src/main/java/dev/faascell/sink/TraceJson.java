package dev.faascell.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.faascell.model.HostUsage;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.InvocationTrace;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The trace record of one invocation as JSON (one line in the trace file; one element of
 * GET /v1/invocations). Stage durations are differences of consecutive stamps, in microseconds, so
 * they add up to {@code totalUs} exactly. Documented in docs/METRICS.md.
 */
public final class TraceJson {
  private static final JsonFactory JSON = new JsonFactory();

  private TraceJson() {
  }

  public static String of(InvocationResult result) {
    StringWriter out = new StringWriter(768);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      InvocationTrace t = result.trace();
      g.writeStartObject();
      g.writeStringField("invocationId", result.invocationId());
      g.writeStringField("function", result.function().value());
      g.writeStringField("receivedAt", Instant.ofEpochMilli(t.receivedEpochMillis()).toString());
      if (result instanceof InvocationResult.Completed done) {
        g.writeStringField("outcome", "ok");
        g.writeNumberField("httpStatus", 200);
        g.writeStringField("startKind", done.startKind().wireName());
        g.writeStringField("vmId", done.vmId());
      } else if (result instanceof InvocationResult.Failed failed) {
        g.writeStringField("outcome", failed.kind().code());
        g.writeNumberField("httpStatus", failed.kind().httpStatus());
        g.writeStringField("startKind", failed.startKind() == null ? null : failed.startKind().wireName());
        g.writeStringField("vmId", failed.vmId());
      }
      if (t.snapshotId() != null) {
        g.writeObjectFieldStart("snapshot");
        g.writeStringField("id", t.snapshotId());
        g.writeStringField("tier", t.snapshotTier());
        g.writeEndObject();
      }
      long[] stamps = t.stamps();
      g.writeObjectFieldStart("stagesUs");
      for (int i = 0; i < InvocationTrace.STAGES.length; i++) {
        g.writeNumberField(InvocationTrace.STAGES[i], micros(stamps[i + 1], t.received()) - micros(stamps[i], t.received()));
      }
      g.writeEndObject();
      g.writeNumberField("totalUs", micros(stamps[stamps.length - 1], t.received()));
      g.writeObjectFieldStart("startupUs");
      g.writeNumberField("boot", t.bootNanos() / 1000);
      g.writeNumberField("restore", t.restoreNanos() / 1000);
      g.writeNumberField("init", t.initNanos() / 1000);
      g.writeNumberField("snapshot", t.snapshotNanos() / 1000);
      g.writeEndObject();
      g.writeNumberField("guestExecUs", t.guestExecNanos() / 1000);
      g.writeObjectFieldStart("timestampsUs");
      writeStamp(g, "received", t.received(), t.received());
      writeStamp(g, "enqueued", t.enqueued(), t.received());
      writeStamp(g, "dequeued", t.dequeued(), t.received());
      writeStamp(g, "assigned", t.assigned(), t.received());
      writeStamp(g, "slotGranted", t.slotGranted(), t.received());
      writeStamp(g, "vmReady", t.vmReady(), t.received());
      writeStamp(g, "runSent", t.runSent(), t.received());
      writeStamp(g, "resultReceived", t.resultReceived(), t.received());
      writeStamp(g, "delivered", t.delivered(), t.received());
      g.writeEndObject();
      g.writeObjectFieldStart("sizes");
      g.writeNumberField("payloadBytes", t.payloadBytes());
      g.writeNumberField("outputBytes", t.outputBytes());
      g.writeEndObject();
      HostUsage host = t.host();
      g.writeObjectFieldStart("host");
      g.writeNumberField("cpuUs", host.cpuNanos() / 1000);
      g.writeNumberField("cpuUserUs", host.cpuUserNanos() / 1000);
      g.writeNumberField("cpuSystemUs", host.cpuSystemNanos() / 1000);
      g.writeNumberField("minorFaults", host.minorFaults());
      g.writeNumberField("majorFaults", host.majorFaults());
      g.writeNumberField("rssKb", host.rssKb());
      g.writeNumberField("throttledUs", host.throttledNanos() / 1000);
      g.writeNumberField("netInBytes", host.netInBytes());
      g.writeNumberField("netOutBytes", host.netOutBytes());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static long micros(long stamp, long received) {
    return (stamp - received) / 1000;
  }

  private static void writeStamp(JsonGenerator g, String name, long stamp, long received) throws IOException {
    if (stamp == 0) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, micros(stamp, received));
    }
  }
}
