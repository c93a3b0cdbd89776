package dev.faascell.cli;

import dev.faascell.config.FaascellConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --config FILE}: a HOCON file over the embedded defaults (reference.conf). */
final class ConfigOption {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "configuration file (HOCON) over the defaults")
  Path file;

  FaascellConfig load() {
    return FaascellConfig.load(Optional.ofNullable(file));
  }

  /** The configuration with command-line settings ({@code faascell.*} keys) over the file's. */
  FaascellConfig load(java.util.Map<String, Object> flags) {
    return FaascellConfig.load(Optional.ofNullable(file), com.typesafe.config.ConfigFactory.parseMap(flags));
  }
}
