package dev.faascell.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code faascell status}: the node's capacity, VMs and queue. */
@Command(name = "status", description = "Show the node's VMs, capacity and queue.")
final class StatusCommand implements Callable<Integer> {
  @Mixin
  UrlOption api;

  @Override
  public Integer call() {
    ApiClient client = api.client();
    System.out.println(client.expectOk(client.send("GET", "/v1/status", null)));
    return 0;
  }
}
