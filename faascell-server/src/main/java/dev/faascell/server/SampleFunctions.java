package dev.faascell.server;

import dev.faascell.config.FunctionLimits;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.RuntimeKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** The functions a fresh node serves out of the box (jar resources under samples/). */
final class SampleFunctions {
  private SampleFunctions() {
  }

  static List<FunctionSpec> all(FunctionLimits limits) throws IOException {
    return List.of(
        new FunctionSpec(FunctionName.of("hello"), RuntimeKind.PYTHON, "main.handle",
            CodeBundle.file("main.py", resource("hello/main.py")), limits.defaultMemoryMb(), 1, limits.defaultTimeout(), Map.of()),
        new FunctionSpec(FunctionName.of("echo"), RuntimeKind.EXEC, "handler.sh",
            CodeBundle.file("handler.sh", resource("echo/handler.sh")), limits.defaultMemoryMb(), 1, limits.defaultTimeout(), Map.of()));
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = SampleFunctions.class.getResourceAsStream("/samples/" + path)) {
      if (in == null) {
        throw new IOException("sample " + path + " is missing from the jar");
      }
      return in.readAllBytes();
    }
  }
}
