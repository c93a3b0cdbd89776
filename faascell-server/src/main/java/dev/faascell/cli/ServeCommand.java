package dev.faascell.cli;

import dev.faascell.config.FaascellConfig;
import dev.faascell.server.Node;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code faascell serve}: runs the daemon until SIGTERM or Ctrl-C, then drains (faascell.api.shutdown-grace)
 * and stops every VM.
 */
@Command(name = "serve", description = "Run the FaaSCell daemon (HTTP API on 127.0.0.1 by default).")
final class ServeCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--debug", split = ",", paramLabel = "PART",
      description = "debug logging for: ${COMPLETION-CANDIDATES} (comma-separated)")
  List<LogSwitch.Part> debug = List.of();

  @Option(names = "--kafka", paramLabel = "HOST:PORT[,HOST:PORT]",
      description = "join the cluster on this Kafka (faascell.kafka.bootstrap; docs/CLUSTER.md)")
  String kafka;

  @Option(names = "--openwhisk-invoker", paramLabel = "N",
      description = "with --kafka: serve as Apache OpenWhisk's invoker N (faascell.kafka.openwhisk.invoker)")
  Integer openWhiskInvoker;

  @Override
  public Integer call() throws Exception {
    LogSwitch.debug(debug);
    Map<String, Object> flags = new HashMap<>();
    if (kafka != null) {
      flags.put("faascell.kafka.bootstrap", kafka);
    }
    if (openWhiskInvoker != null) {
      if (kafka == null) {
        throw new CliException("--openwhisk-invoker needs --kafka HOST:PORT: the controller talks to invokers over Kafka", 2);
      }
      if (openWhiskInvoker < 0) {
        throw new CliException("--openwhisk-invoker must be 0 or more, got " + openWhiskInvoker, 2);
      }
      flags.put("faascell.kafka.openwhisk.invoker", openWhiskInvoker);
    }
    FaascellConfig loaded = config.load(flags);
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
