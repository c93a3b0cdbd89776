package dev.faascell.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionSpecTest {
  private static FunctionSpec spec(String code, Map<String, String> env) {
    return new FunctionSpec(FunctionName.of("fn"), RuntimeKind.PYTHON, "main.handle",
        CodeBundle.file("main.py", code.getBytes(StandardCharsets.UTF_8)), 128, 1, Duration.ofSeconds(5), env);
  }

  @Test
  void namesAreLowercaseDigitsAndDashesUpTo63() {
    assertThat(FunctionName.of("a-1").value()).isEqualTo("a-1");
    assertThat(FunctionName.of("x".repeat(63)).value()).hasSize(63);
    for (String bad : new String[] {"", "A", "a_b", "a.b", "a/b", "..", "x".repeat(64), "a b", "é"}) {
      assertThatThrownBy(() -> FunctionName.of(bad)).as(bad).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("invalid function name");
    }
    assertThatThrownBy(() -> FunctionName.of(null)).hasMessageContaining("(missing)");
  }

  @Test
  void theVersionChangesWithAnythingAVmDependsOn() {
    String base = spec("x", Map.of()).version();
    assertThat(spec("x", Map.of()).version()).isEqualTo(base);
    assertThat(spec("y", Map.of()).version()).isNotEqualTo(base);
    assertThat(spec("x", Map.of("A", "1")).version()).isNotEqualTo(base);
  }

  @Test
  void handlersAreCheckedPerRuntime() {
    CodeBundle code = CodeBundle.file("h", new byte[] {1});
    assertThatThrownBy(() -> new FunctionSpec(FunctionName.of("f"), RuntimeKind.PYTHON, "nodot", code, 128, 1,
        Duration.ofSeconds(1), Map.of())).hasMessageContaining("module.function");
    assertThatThrownBy(() -> new FunctionSpec(FunctionName.of("f"), RuntimeKind.NODEJS, "../up.handler", code, 128, 1,
        Duration.ofSeconds(1), Map.of())).hasMessageContaining("index.handler");
    new FunctionSpec(FunctionName.of("f"), RuntimeKind.NODEJS, "src/app.handler", code, 128, 1, Duration.ofSeconds(1), Map.of());
    assertThatThrownBy(() -> new FunctionSpec(FunctionName.of("f"), RuntimeKind.EXEC, "/bin/sh", code, 128, 1,
        Duration.ofSeconds(1), Map.of())).hasMessageContaining("relative path");
    assertThatThrownBy(() -> new FunctionSpec(FunctionName.of("f"), RuntimeKind.EXEC, "a/../../x", code, 128, 1,
        Duration.ofSeconds(1), Map.of())).hasMessageContaining("relative path");
  }

  @Test
  void envNamesMustBeIdentifiers() {
    assertThatThrownBy(() -> spec("x", Map.of("BAD-NAME", "1"))).hasMessageContaining("invalid env name");
    assertThatThrownBy(() -> spec("x", Map.of("OK", "nul\0byte"))).hasMessageContaining("without NUL");
  }

  @Test
  void codeFileNamesCannotEscapeTheCodeDirectory() {
    for (String bad : new String[] {"../x", "a/b", ".", "..", ""}) {
      assertThatThrownBy(() -> CodeBundle.file(bad, new byte[0])).as(bad).isInstanceOf(InvalidInputException.class);
    }
    assertThatThrownBy(() -> CodeBundle.zip("not a zip".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not a zip");
  }
}
