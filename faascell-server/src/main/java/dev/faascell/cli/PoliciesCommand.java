package dev.faascell.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import dev.faascell.policy.PolicyFamily;
import dev.faascell.policy.PolicyRegistry;
import dev.faascell.policy.spi.Knob;
import dev.faascell.policy.spi.PolicyProvider;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code faascell policies}: every policy family with its policies, built-in and plugged in, and their
 * settings, as the registry and the configuration have them. Offline: no daemon is asked.
 */
@Command(name = "policies", description = "List each policy family, its policies (* = configured) and their settings.")
final class PoliciesCommand implements Callable<Integer> {
  @Mixin
  ConfigOption configFile;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Config config = configFile.load().raw();
    for (PolicyFamily<?> family : PolicyRegistry.FAMILIES) {
      family.provider(family.configuredName(config));   // an unknown name fails here, as the daemon's start would
    }
    PrintWriter out = spec.commandLine().getOut();
    Config reference = ConfigFactory.defaultReference();
    for (PolicyFamily<?> family : PolicyRegistry.FAMILIES) {
      print(family, config, family.configuredName(reference), out);
    }
    out.flush();
    return 0;
  }

  private static void print(PolicyFamily<?> family, Config config, String defaultPolicy, PrintWriter out) {
    String configured = family.configuredName(config);
    out.printf("%s: %s%n  %s.policy = %s%n", family.name(), family.decides(), family.section(), configured);
    for (PolicyProvider<?> policy : family.implementations()) {
      out.printf("  %s %-17s %s%s%n", policy.name().equals(configured) ? "*" : " ", policy.name(), policy.description(),
          policy.name().equals(defaultPolicy) ? " (default)" : "");
      for (Knob knob : policy.knobs()) {
        out.printf("      %s = %s  # %s%n", knob.key(), value(knob, config, family.section() + "." + knob.key()),
            knob.meaning());
      }
    }
    out.println();
  }

  /** The knob's value in {@code config}, and its default when that differs. */
  private static String value(Knob knob, Config config, String path) {
    if (!config.hasPath(path)) {
      return knob.defaultValue();
    }
    ConfigValue value = config.getValue(path);
    return knob.isDefault(value) ? knob.defaultValue() : value.unwrapped() + " (default " + knob.defaultValue() + ")";
  }
}
