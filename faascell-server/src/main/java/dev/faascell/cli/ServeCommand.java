package dev.faascell.cli;

import dev.faascell.config.FaascellConfig;
import dev.faascell.server.Node;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code faascell serve}: runs the daemon until SIGTERM or Ctrl-C, then stops every VM. */
@Command(name = "serve", description = "Run the FaaSCell daemon (HTTP API on 127.0.0.1 by default).")
final class ServeCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--debug", split = ",", paramLabel = "PART",
      description = "debug logging for: ${COMPLETION-CANDIDATES} (comma-separated)")
  List<LogSwitch.Part> debug = List.of();

  @Override
  public Integer call() throws Exception {
    LogSwitch.debug(debug);
    FaascellConfig loaded = config.load();
    Node node = Node.start(loaded, new ProgressPrinter(System.err));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "faascell-shutdown"));
    String url = node.url();
    System.out.println("FaaSCell is serving on " + url + " (image " + node.image().id() + ")");
    if (node.registry().list().stream().anyMatch(f -> f.spec().name().value().equals("hello"))) {
      System.out.println("Try it:  curl -s -X POST " + url + "/v1/functions/hello/invoke -d '{\"name\":\"FaaSCell\"}'");
    }
    System.out.flush();
    stopped.await();
    return 0;
  }
}
