package dev.faascell.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.guest.image.GuestImage;
import dev.faascell.server.Node;
import dev.faascell.testing.TestNodes;
import dev.faascell.vmm.fake.FakeVmm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI against a running node (over the in-memory VMM). */
class FaascellCliTest {
  private Path dir;
  private Node node;

  @BeforeEach
  void start() throws Exception {
    dir = TestNodes.tempDir("fc-cli-");
    Path none = dir.resolve("none");
    node = Node.start(TestNodes.config(dir, Map.of()), new FakeVmm(dir.resolve("run"), 5),
        new GuestImage("fake", dir, none, none, none, "fake"));
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
    TestNodes.delete(dir);
  }

  /** Runs the CLI and returns its exit code and standard output. */
  private record Run(int exitCode, String out) {}

  private Run cli(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      String[] withUrl = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--url", node.url()))
          .toArray(String[]::new);
      int code = FaascellCli.commandLine().execute(withUrl);
      return new Run(code, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void deployInvokeListAndRemove() throws Exception {
    Path code = dir.resolve("echo");   // the fake guest's behaviour is the exec handler's name
    Files.writeString(code, "#!/bin/sh\ncat\n");
    Run deploy = cli("fn", "deploy", "shout", "--runtime", "exec", "--code", code.toString(), "--handler", "echo",
        "--env", "LOUD=yes", "--timeout-ms", "2000");
    assertThat(deploy.exitCode()).as(deploy.out()).isZero();
    assertThat(deploy.out()).contains("\"outcome\":\"created\"").contains("\"LOUD\":\"yes\"");

    Run invoke = cli("fn", "invoke", "shout", "-d", "hey");
    assertThat(invoke.exitCode()).isZero();
    assertThat(invoke.out()).contains("\"result\":\"hey\"").contains("\"startKind\":\"cold\"");

    assertThat(cli("fn", "ls").out()).contains("shout").contains("hello");
    assertThat(cli("fn", "rm", "shout").exitCode()).isZero();
    assertThat(cli("fn", "get", "shout").exitCode()).isEqualTo(2);
  }

  @Test
  void aDirectoryIsDeployedAsAZip() throws Exception {
    Path code = Files.createDirectories(dir.resolve("app"));
    Files.writeString(code.resolve("main.py"), "def handle(e):\n    return e\n");
    Run deploy = cli("fn", "deploy", "app", "--code", code.toString());
    assertThat(deploy.exitCode()).as(deploy.out()).isZero();
    assertThat(deploy.out()).contains("\"format\":\"zip\"");
  }

  @Test
  void aFailedInvocationExitsNonZeroAndPrintsTheError() {
    Run invoke = cli("fn", "invoke", "nobody");
    assertThat(invoke.exitCode()).isEqualTo(2);
    assertThat(invoke.out()).contains("not deployed");
  }

  @Test
  void noDaemonIsAClearError() {
    int code = FaascellCli.commandLine().execute("fn", "ls", "--url", "http://127.0.0.1:1");
    assertThat(code).isEqualTo(3);
  }
}
