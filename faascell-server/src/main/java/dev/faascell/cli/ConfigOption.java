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
}
