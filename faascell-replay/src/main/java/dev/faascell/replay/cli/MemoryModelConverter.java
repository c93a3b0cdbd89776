package dev.faascell.replay.cli;

import dev.faascell.replay.workload.MemoryModel;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --memory-model resident|per-invocation}, in any case. */
public final class MemoryModelConverter implements ITypeConverter<MemoryModel> {
  @Override
  public MemoryModel convert(String value) {
    try {
      return MemoryModel.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
