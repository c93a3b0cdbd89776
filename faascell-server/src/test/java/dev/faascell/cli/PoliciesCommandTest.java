package dev.faascell.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faascell policies}, offline: the registry and the configuration, no daemon. */
class PoliciesCommandTest {
  private record Run(int exitCode, String out, String err) {}

  private static Run policies(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = FaascellCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] command = new String[args.length + 1];
    command[0] = "policies";
    System.arraycopy(args, 0, command, 1, args.length);
    int code = cli.execute(command);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void listsEveryFamilyWithItsPoliciesMarkingTheConfiguredOneAndTheirKnobs() {
    Run run = policies();
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("queue: the order waiting invocations are offered to the pool\n  faascell.dispatcher.policy = fifo\n")
        .contains("vm-selection: ").contains("scaling: ").contains("snapshot: ").contains("placement: ")
        .contains("  faascell.snapshots.placement.policy = recency\n")
        .contains("  * ttl               OpenWhisk: a fixed idle timeout")
        .contains("      ttl = 10m  # idle time after which a VM is stopped\n")
        .contains("    hybrid-histogram  Shahrad et al.")
        .contains("      hybrid-histogram.bins = 240  # number of bins")
        .contains("  * expected-wait     ").contains("    always-start      ");
    assertThat(run.out().lines().filter(line -> line.startsWith("  * "))).hasSize(6);
  }

  @Test
  void aConfigFileChangesTheMarkAndShowsAKnobsValueBesideItsDefault(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.conf");
    Files.writeString(file, "faascell.keep-alive.policy = hybrid-histogram\nfaascell.keep-alive.hybrid-histogram.bins = 120\n");
    Run run = policies("--config", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("  faascell.keep-alive.policy = hybrid-histogram\n")
        .contains("  * hybrid-histogram  ")
        .containsPattern("\n    ttl +OpenWhisk: .* \\(default\\)\n")
        .contains("      hybrid-histogram.bins = 120 (default 240)  # number of bins");
  }

  @Test
  void anUnknownConfiguredPolicyFailsNamingTheKnownOnes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.conf");
    Files.writeString(file, "faascell.scaling.policy = psychic\n");
    Run run = policies("--config", file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("unknown scaling policy 'psychic'").contains("known: always-start, expected-wait");
    assertThat(run.out()).isEmpty();
  }
}
