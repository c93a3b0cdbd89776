package dev.faascell.replay.cli;

import dev.faascell.replay.arrivals.MinuteSpread;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --spread uniform|exponential|equidistant}, in any case. */
public final class SpreadConverter implements ITypeConverter<MinuteSpread> {
  @Override
  public MinuteSpread convert(String value) {
    try {
      return MinuteSpread.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
