package dev.faascell.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class HandlersTest {
  @Test
  void aOneFileDeployUsesTheFilesOwnModule() {
    assertThat(Handlers.defaultFor(RuntimeKind.PYTHON, file("greet.py", ""))).isEqualTo("greet.handle");
    assertThat(Handlers.defaultFor(RuntimeKind.NODEJS, file("app.mjs", ""))).isEqualTo("app.handler");
    assertThat(Handlers.defaultFor(RuntimeKind.EXEC, file("run.sh", ""))).isEqualTo("run.sh");
    assertThat(Handlers.defaultFor(RuntimeKind.PYTHON, CodeBundle.zip(zip(Map.of("main.py", ""))))).isEqualTo("main.handle");
  }

  @Test
  void handlersThatAreInTheCodePass() {
    Handlers.check(spec(RuntimeKind.PYTHON, "greet.handle", file("greet.py", "def handle(event):\n  return event\n")));
    Handlers.check(spec(RuntimeKind.PYTHON, "pkg.mod.handler",
        CodeBundle.zip(zip(Map.of("pkg/__init__.py", "", "pkg/mod.py", "def handler(e, c): pass\n")))));
    Handlers.check(spec(RuntimeKind.NODEJS, "src/index.handler",
        CodeBundle.zip(zip(Map.of("src/index.mjs", "export const handler = async () => 1;\n")))));
    Handlers.check(spec(RuntimeKind.NODEJS, "index.handler", file("index.js", "exports.handler = async () => 1;\n")));
    Handlers.check(spec(RuntimeKind.EXEC, "bin/run", CodeBundle.zip(zip(Map.of("bin/run", "#!/bin/sh\n")))));
  }

  @Test
  void aMissingModuleOrFunctionIsRefusedInOneLine() {
    assertThatThrownBy(() -> Handlers.check(spec(RuntimeKind.PYTHON, "main.handle", file("greet.py", "def handle(e): pass"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("module 'main' is not in the code").hasMessageContaining("greet.py")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> Handlers.check(spec(RuntimeKind.PYTHON, "greet.handler", file("greet.py", "def handle(e): pass"))))
        .hasMessageContaining("greet.py does not define 'handler'");
    assertThatThrownBy(() -> Handlers.check(spec(RuntimeKind.NODEJS, "index.handler", file("app.js", "exports.handler = 1"))))
        .hasMessageContaining("looked for index.js, index.mjs, index.cjs");
    assertThatThrownBy(() -> Handlers.check(spec(RuntimeKind.EXEC, "run.sh", file("handler", "#!/bin/sh"))))
        .hasMessageContaining("'run.sh' is not a file in the code");
  }

  private static FunctionSpec spec(RuntimeKind runtime, String handler, CodeBundle code) {
    return new FunctionSpec(FunctionName.of("f"), runtime, handler, code, 128, 1, Duration.ofSeconds(3), Map.of());
  }

  private static CodeBundle file(String name, String text) {
    return CodeBundle.file(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] zip(Map<String, String> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (var file : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(file.getKey()));
        zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
