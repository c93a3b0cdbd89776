package dev.faascell.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import dev.faascell.client.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import dev.faascell.openwhisk.OpenWhiskActions;
import java.util.ArrayList;
import java.util.LinkedHashMap;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faascell fn ...}: deploy, invoke, list and remove functions on a running daemon. */
@Command(name = "fn", description = "Manage and invoke functions.",
    subcommands = {FnCommand.Deploy.class, FnCommand.Invoke.class, FnCommand.Ls.class, FnCommand.Get.class,
        FnCommand.Remove.class})
final class FnCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Command(name = "deploy", description = "Deploy (or update) a function from a file, a directory or a .zip.")
  static final class Deploy implements Callable<Integer> {
    @Mixin
    UrlOption api;

    @Parameters(index = "0", paramLabel = "NAME", description = "function name ([a-z0-9-]{1,63})")
    String name;

    @Option(names = "--code", required = true, paramLabel = "PATH", description = "a file, a directory (zipped) or a .zip")
    Path code;

    @Option(names = "--runtime", defaultValue = "python", description = "python, nodejs or exec (default: ${DEFAULT-VALUE})")
    String runtime;

    @Option(names = "--handler", description = "python: module.function (default: the file's module.handle, or main.handle in a zip); "
        + "nodejs: module.function (default: the file's module.handler, or index.handler); exec: path in the code")
    String handler;

    @Option(names = "--memory-mb", description = "guest memory in MiB")
    Integer memoryMb;

    @Option(names = "--vcpus", description = "virtual CPUs")
    Integer vcpus;

    @Option(names = "--timeout-ms", description = "per-invocation timeout")
    Long timeoutMs;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "environment variable (repeatable)")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--network", paramLabel = "MODE",
        description = "none (default: no network device) or egress (a namespace of its own, deny by default; docs/NETWORK.md)")
    String network;

    @Option(names = "--allow", paramLabel = "CIDR[:PORT]",
        description = "with --network egress: a destination the function may connect to (repeatable; none given: any "
            + "but the node's own addresses and other VMs)")
    List<String> allow = new ArrayList<>();

    @Option(names = "--bandwidth-mbit", paramLabel = "MBIT", description = "with --network egress: limit each way, Mbit/s")
    Integer bandwidthMbit;

    @Option(names = "--openwhisk-name", paramLabel = "NS/[PKG/]ACTION",
        description = "serve OpenWhisk activations of this action (invoker mode): python main(params), __OW_* env")
    String openWhiskName;

    @Override
    public Integer call() throws IOException {
      if (openWhiskName != null) {
        try {
          env.put(OpenWhiskActions.NAME_ENV, OpenWhiskActions.checkName(openWhiskName));
        } catch (dev.faascell.model.InvalidInputException e) {
          throw new CliException(e.getMessage(), 2);
        }
        if (handler == null && runtime.equals("python")) {
          handler = "main.main";   // OpenWhisk's Python actions are main(params)
        }
      }
      ObjectNode body = JSON.createObjectNode().put("runtime", runtime);
      if (handler != null) {
        body.put("handler", handler);
      }
      if (memoryMb != null) {
        body.put("memoryMb", memoryMb);
      }
      if (vcpus != null) {
        body.put("vcpus", vcpus);
      }
      if (timeoutMs != null) {
        body.put("timeoutMs", timeoutMs);
      }
      ObjectNode envNode = body.putObject("env");
      env.forEach(envNode::put);
      if (network != null || !allow.isEmpty() || bandwidthMbit != null) {
        // the node checks it all and answers 400 with the reason
        ObjectNode networkNode = body.putObject("network").put("mode", network == null ? "none" : network);
        allow.forEach(networkNode.putArray("allow")::add);
        if (bandwidthMbit != null) {
          networkNode.put("bandwidthMbit", bandwidthMbit);
        }
      }
      body.set("code", codeNode(code));
      System.out.println(api.expectOk("PUT", "/v1/functions/" + name, JSON.writeValueAsBytes(body)));
      return 0;
    }

    private static ObjectNode codeNode(Path path) throws IOException {
      ObjectNode node = JSON.createObjectNode();
      if (Files.isDirectory(path)) {
        return node.put("zipBase64", Base64.getEncoder().encodeToString(zip(path)));
      }
      byte[] bytes = Files.readAllBytes(path);
      if (path.getFileName().toString().endsWith(".zip")) {
        return node.put("zipBase64", Base64.getEncoder().encodeToString(bytes));
      }
      return node.put("file", path.getFileName().toString()).put("base64", Base64.getEncoder().encodeToString(bytes));
    }

    private static byte[] zip(Path dir) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          zip.putNextEntry(new ZipEntry(dir.relativize(file).toString()));
          zip.write(Files.readAllBytes(file));
          zip.closeEntry();
        }
      }
      return out.toByteArray();
    }
  }

  @Command(name = "invoke", description = "Invoke a function and print the reply (result, start kind, timing).")
  static final class Invoke implements Callable<Integer> {
    @Mixin
    UrlOption api;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = {"-d", "--data"}, paramLabel = "PAYLOAD", description = "the payload (JSON for python functions)")
    String data;

    @Option(names = "--data-file", paramLabel = "FILE", description = "read the payload from a file")
    Path dataFile;

    @Override
    public Integer call() throws IOException {
      byte[] payload = dataFile != null ? Files.readAllBytes(dataFile)
          : (data == null ? new byte[0] : data.getBytes(StandardCharsets.UTF_8));
      ApiResponse response = api.send("POST", "/v1/functions/" + name + "/invoke", payload);
      System.out.println(response.body());
      return response.successful() ? 0 : 2;
    }
  }

  @Command(name = "ls", description = "List deployed functions.")
  static final class Ls implements Callable<Integer> {
    @Mixin
    UrlOption api;

    @Override
    public Integer call() throws IOException {
      var functions = JSON.readTree(api.expectOk("GET", "/v1/functions", null)).path("functions");
      System.out.printf("%-24s %-8s %-18s %-16s %8s %6s %10s%n", "NAME", "RUNTIME", "HANDLER", "VERSION", "MEMORY", "VCPUS",
          "TIMEOUT");
      for (var f : functions) {
        System.out.printf("%-24s %-8s %-18s %-16s %6dMi %6d %8dms%n", f.path("name").asText(), f.path("runtime").asText(),
            f.path("handler").asText(), f.path("version").asText(), f.path("memoryMb").asInt(), f.path("vcpus").asInt(),
            f.path("timeoutMs").asLong());
      }
      return 0;
    }
  }

  @Command(name = "get", description = "Show one function.")
  static final class Get implements Callable<Integer> {
    @Mixin
    UrlOption api;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      System.out.println(api.expectOk("GET", "/v1/functions/" + name, null));
      return 0;
    }
  }

  @Command(name = "rm", description = "Delete a function (its VMs stop, queued invocations get 410).")
  static final class Remove implements Callable<Integer> {
    @Mixin
    UrlOption api;

    @Parameters(index = "0", paramLabel = "NAME", arity = "1..*")
    List<String> names = List.of();

    @Override
    public Integer call() {
      api.deleteEach("/v1/functions", names);
      return 0;
    }
  }
}
