package dev.faascell.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faascell.model.FunctionName;
import dev.faascell.sink.kafka.InvocationReply;
import java.util.concurrent.CompletionStage;

/** What the HTTP API uses of the cluster a node is in: the gateway and the cluster's status. */
public interface ClusterLink {
  /** Runs the invocation on whichever node has its function's partition; completes with the answer. */
  CompletionStage<InvocationReply> invoke(String invocationId, FunctionName function, byte[] payload);

  /** The {@code cluster} part of GET /v1/status: this node, the mode, and every node heard of. */
  ObjectNode status();
}
