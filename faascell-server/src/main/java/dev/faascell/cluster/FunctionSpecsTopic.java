package dev.faascell.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.registry.FunctionRegistry;
import dev.faascell.source.http.FunctionRequest;
import dev.faascell.store.StoreException;
import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Functions deployed on one node are known to all: every local deploy is written to a compacted
 * topic keyed by function name (value: the API's deploy body, code carried in it; a delete is a
 * tombstone), and every node applies what it reads there to its own registry. Changes read from the
 * topic are not written back, so the last record of a name (one partition: one order for all nodes)
 * is what every node ends up with.
 */
public final class FunctionSpecsTopic implements FunctionRegistry.Listener {
  private static final Logger log = LoggerFactory.getLogger(FunctionSpecsTopic.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Set on the tail's thread while it applies a record: that change came from the topic. */
  private static final ThreadLocal<Boolean> APPLYING = ThreadLocal.withInitial(() -> false);

  private final RecordSender sender;
  private final String topic;
  private final FunctionRegistry registry;
  private final int maxCodeBytes;

  public FunctionSpecsTopic(RecordSender sender, String topic, FunctionRegistry registry, int maxCodeBytes) {
    this.sender = sender;
    this.topic = topic;
    this.registry = registry;
    this.maxCodeBytes = maxCodeBytes;
  }

  @Override
  public void deployed(FunctionSpec function) {
    if (APPLYING.get()) {
      return;
    }
    try {
      sender.send(topic, function.name().value(), JSON.writeValueAsBytes(FunctionRequest.body(function, JSON)))
          .whenComplete(this::logFailure);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void removed(FunctionName function) {
    if (!APPLYING.get()) {
      sender.send(topic, function.value(), null).whenComplete(this::logFailure);
    }
  }

  /** A record of the functions topic, from any node. */
  public void onRecord(ConsumerRecord<String, byte[]> record) {
    FunctionName name = FunctionName.of(record.key());
    APPLYING.set(true);
    try {
      if (record.value() == null) {
        registry.remove(name);
      } else {
        FunctionSpec spec = FunctionRequest.parse(name, record.value(), registry.limits(), maxCodeBytes, JSON);
        FunctionRegistry.DeployOutcome outcome = registry.deploy(spec);
        if (outcome != FunctionRegistry.DeployOutcome.UNCHANGED) {
          log.info("event=function-deployed-from-cluster function={} version={} outcome={}", name, spec.version(),
              outcome);
        }
      }
    } catch (StoreException e) {
      throw new IllegalStateException("the store refused function " + name + ": " + e.getMessage(), e);
    } finally {
      APPLYING.set(false);
    }
  }

  private void logFailure(Void sent, Throwable error) {
    if (error != null) {
      log.error("event=function-publish-failed topic={} reason=\"{}\"", topic, error.getMessage());
    }
  }
}
