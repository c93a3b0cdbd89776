package dev.faascell.snapshot;

import java.nio.file.Path;

/** A configured storage tier; {@code rank} 0 is the fastest. */
public record Tier(String name, int rank, Path path, long capacityBytes) {}
