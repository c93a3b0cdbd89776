package dev.faascell.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faascell snapshot ...}: list, take and delete snapshots on a running daemon. */
@Command(name = "snapshot", description = "Manage snapshots.",
    subcommands = {SnapshotCommand.Ls.class, SnapshotCommand.Take.class, SnapshotCommand.Rm.class})
final class SnapshotCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Command(name = "ls", description = "List snapshots: function, tier, size, restores.")
  static final class Ls implements Callable<Integer> {
    @Mixin
    UrlOption api;

    @Override
    public Integer call() throws IOException {
      var snapshots = JSON.readTree(api.expectOk("GET", "/v1/snapshots", null)).path("snapshots");
      System.out.printf("%-32s %-20s %-10s %-5s %9s %8s  %s%n", "ID", "FUNCTION", "FORMAT", "TIER", "SIZE", "RESTORES",
          "CREATED");
      for (var s : snapshots) {
        System.out.printf("%-32s %-20s %-10s %-5s %7dMi %8d  %s%n", s.path("id").asText(), s.path("function").asText(),
            s.path("format").asText(), s.path("tier").asText(), s.path("bytes").asLong() >> 20,
            s.path("restoreCount").asLong(), s.path("createdAt").asText());
      }
      return 0;
    }
  }

  @Command(name = "take", description = "Boot a fresh VM of a function and snapshot it after its code loaded.")
  static final class Take implements Callable<Integer> {
    @Mixin
    UrlOption api;

    @Parameters(index = "0", paramLabel = "FUNCTION")
    String function;

    @Option(names = "--format", defaultValue = "shared-ram", description = "shared-ram or full (default ${DEFAULT-VALUE})")
    String format;

    @Override
    public Integer call() {
      System.out.println(api.expectOk("POST", "/v1/functions/" + function + "/snapshot?format=" + format, new byte[0]));
      return 0;
    }
  }

  @Command(name = "rm", description = "Delete snapshots.")
  static final class Rm implements Callable<Integer> {
    @Mixin
    UrlOption api;

    @Parameters(index = "0", paramLabel = "ID", arity = "1..*")
    List<String> ids = List.of();

    @Override
    public Integer call() {
      api.deleteEach("/v1/snapshots", ids);
      return 0;
    }
  }
}
