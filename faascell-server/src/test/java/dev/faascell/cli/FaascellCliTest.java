package dev.faascell.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
    node = Node.start(TestNodes.config(dir, Map.of()), new FakeVmm(dir.resolve("run"), 5),
        TestNodes.fakeImage(dir));
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
  void aFunctionWithNetworkIsDeployedWithItsAllowList() throws Exception {
    Path code = dir.resolve("main.py");
    Files.writeString(code, "def handle(e):\n    return e\n");
    Run deploy = cli("fn", "deploy", "fetch", "--code", code.toString(), "--network", "egress",
        "--allow", "10.1.2.0/24:443", "--allow", "10.9.9.9/32");
    assertThat(deploy.exitCode()).as(deploy.out()).isZero();
    assertThat(deploy.out()).contains("\"network\":{\"mode\":\"egress\",\"allow\":[\"10.1.2.0/24:443\",\"10.9.9.9/32\"]");
    Run bad = cli("fn", "deploy", "fetch2", "--code", code.toString(), "--network", "egress", "--allow", "10.1.2.0/24:https");
    assertThat(bad.exitCode()).isEqualTo(2);   // the node's 400 (HttpApiTest has its messages)
    Run allowWithoutEgress = cli("fn", "deploy", "fetch3", "--code", code.toString(), "--allow", "10.1.2.0/24");
    assertThat(allowWithoutEgress.exitCode()).isEqualTo(2);
    assertThat(cli("fn", "get", "fetch3").exitCode()).isEqualTo(2);
  }

  @Test
  void aFailedInvocationExitsNonZeroAndPrintsTheError() {
    Run invoke = cli("fn", "invoke", "nobody");
    assertThat(invoke.exitCode()).isEqualTo(2);
    assertThat(invoke.out()).contains("not deployed");
  }

  @Test
  void anOpenWhiskNameMakesAnActionWithMainAsItsHandler() throws Exception {
    Path code = dir.resolve("main.py");
    Files.writeString(code, "def main(params):\n    return params\n");
    Run deploy = cli("fn", "deploy", "greet", "--code", code.toString(), "--openwhisk-name", "guest/demo/hello");
    assertThat(deploy.exitCode()).as(deploy.out()).isZero();
    assertThat(deploy.out()).contains("\"handler\":\"main.main\"")
        .contains("\"FAASCELL_OPENWHISK_NAME\":\"guest/demo/hello\"");
    Run bad = cli("fn", "deploy", "greet", "--code", code.toString(), "--openwhisk-name", "just-a-name");
    assertThat(bad.exitCode()).isEqualTo(2);
  }

  @Test
  void anOpenWhiskInvokerNeedsKafka() {
    assertThat(FaascellCli.commandLine().execute("serve", "--openwhisk-invoker", "0")).isEqualTo(2);
  }

  @Test
  void statusListsTheClusterNodes() throws Exception {
    var status = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"node\":{},\"queue\":{},\"vms\":[],"
        + "\"snapshots\":{},\"cluster\":{\"node\":\"a\",\"bootstrap\":\"k:9092\",\"aliveNodes\":1,\"nodes\":["
        + "{\"node\":\"a\",\"alive\":true,\"lastSeenMs\":300,\"vms\":2,\"startSlots\":2},"
        + "{\"node\":\"b\",\"alive\":false,\"lastSeenMs\":9000,\"vms\":0,\"startSlots\":2}]}}");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StatusCommand.print(status, new PrintStream(out, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("cluster on k:9092, this node a, 1 alive");
    assertThat(printed.lines().filter(line -> line.startsWith("b ")).findFirst()).hasValueSatisfying(
        line -> assertThat(line).contains("no").contains("9.0s"));
  }

  @Test
  void noDaemonIsAClearError() {
    int code = FaascellCli.commandLine().execute("fn", "ls", "--url", "http://127.0.0.1:1");
    assertThat(code).isEqualTo(3);
  }
}
