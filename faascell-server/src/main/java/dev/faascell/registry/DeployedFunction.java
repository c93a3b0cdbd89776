package dev.faascell.registry;

import dev.faascell.model.FunctionSpec;
import java.time.Instant;

/** A function as the node holds it: its spec and when it was first and last deployed. */
public record DeployedFunction(FunctionSpec spec, Instant createdAt, Instant updatedAt) {}
