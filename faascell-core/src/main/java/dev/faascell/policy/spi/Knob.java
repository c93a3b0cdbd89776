package dev.faascell.policy.spi;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;

/**
 * A setting a policy reads from its family's configuration section.
 *
 * @param key          its path below the family's section, e.g. {@code hybrid-histogram.bins}
 * @param defaultValue its default as reference.conf writes it (HOCON), e.g. {@code 10m}
 * @param meaning      one line: what it changes
 */
public record Knob(String key, String defaultValue, String meaning) {
  /** Whether {@code value} is this knob's default (as HOCON reads both: {@code on} is {@code true}). */
  public boolean isDefault(ConfigValue value) {
    return ConfigFactory.parseString("value = " + defaultValue).getValue("value").unwrapped().equals(value.unwrapped());
  }
}
