package dev.faascell.replay.cli;

import picocli.CommandLine.Option;

/** {@code -h, --help} on every command, so that each can be asked how to use it. */
public final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
  boolean help;
}
