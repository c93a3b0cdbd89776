package dev.faascell.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faascell.testing.Await;
import dev.faascell.testing.DaemonProcesses;
import dev.faascell.testing.Http;
import dev.faascell.testing.RealNodes;
import dev.faascell.testing.ServerNamespace;
import dev.faascell.testing.TestNodes;
import dev.faascell.util.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Functions with network on real VMs (docs/NETWORK.md). Traffic goes only to loopback and to a network
 * namespace this test makes itself, with HTTP servers in it. Shown: an egress function fetches a page
 * from its allowed server, also from two snapshot clones at once, each with the snapshot's address;
 * a port missing from the allow-list cannot be reached; a function without network has only lo; a VM
 * reaches neither another VM nor the daemon's API; a namespace that cannot be made fails that start
 * with 502 and the node serves on; and nothing of the node's network remains after it stopped, nor
 * after kill -9 and a restart.
 */
class NetworkIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  /** One function for every check: fetch a URL, list interfaces, or try TCP connections. */
  private static final String CODE = String.join("\n",
      "import http.client, socket, time",
      "def handle(event):",
      "    op = event['op']",
      "    if op == 'ifaces':",
      "        with open('/proc/net/dev') as f:",
      "            return sorted(line.split(':')[0].strip() for line in f.readlines()[2:])",
      "    if op == 'fetch':",
      "        time.sleep(event.get('sleep', 0))",
      "        conn = http.client.HTTPConnection(event['host'], event['port'], timeout=10)",
      "        try:",
      "            conn.request('GET', '/index.html')",
      "            local = conn.sock.getsockname()[0]",
      "            body = conn.getresponse().read().decode()",
      "            return {'ok': True, 'body': body, 'local': local}",
      "        except OSError as e:",
      "            return {'ok': False, 'error': repr(e)}",
      "        finally:",
      "            conn.close()",
      "    results = {}",
      "    for target in event['targets']:",
      "        host, port = target.rsplit(':', 1)",
      "        s = socket.socket()",
      "        s.settimeout(3)",
      "        try:",
      "            s.connect((host, int(port)))",
      "            results[target] = 'connected'",
      "        except ConnectionRefusedError:",
      "            results[target] = 'refused'",
      "        except socket.timeout:",
      "            results[target] = 'timeout'",
      "        except OSError as e:",
      "            results[target] = 'error %s' % e.errno",
      "        finally:",
      "            s.close()",
      "    return results",
      "");
  private static final String PAGE = "hello from the test's own namespace";

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Path dir;

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    TestNodes.delete(dir);
  }

  private static String randomSuffix() {
    return Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
  }

  @Test
  void egressFunctionsReachExactlyTheirAllowListAndTheNodeLeavesNothingBehind() throws Exception {
    dir = TestNodes.tempDir("fc-net-");
    String prefix = "fcit" + randomSuffix();
    ServerNamespace server = ServerNamespace.start("fcts" + randomSuffix(), "10.214.0.0", dir.resolve("www"), PAGE, 8080, 8081);
    toClose.add(server);
    String token = "net-it-" + randomSuffix();
    Node node = RealNodes.start(dir, Map.of(
        "faascell.network.name-prefix", prefix,
        "faascell.network.address-range", "10.213.0.0/24",
        // reachable on every host address, so that a VM could try it: the API needs a token then
        "faascell.api.host", "0.0.0.0",
        "faascell.api.token", token));
    toClose.add(node);
    Http http = new Http("http://127.0.0.1:" + node.port(), Map.of("Authorization", "Bearer " + token));
    String netOff = "\"timeoutMs\":60000";

    // an egress function allowed to the test's server on port 8080 only
    String fetcher = netOff + ",\"network\":{\"mode\":\"egress\",\"allow\":[\"" + server.address() + "/32:8080\"]}";
    assertThat(http.deploy("fetcher", "python", "main.handle", "main.py", CODE, fetcher).status()).isEqualTo(201);
    String fetch8080 = "{\"op\":\"fetch\",\"host\":\"" + server.address() + "\",\"port\":8080}";
    var cold = http.invoke("fetcher", fetch8080);
    assertThat(cold.status()).as(cold.body()).isEqualTo(200);
    assertThat(cold.json().path("startKind").asText()).isEqualTo("cold");
    assertThat(cold.json().path("result").path("body").asText()).as(cold.body()).isEqualTo(PAGE);
    assertThat(http.invoke("fetcher", "{\"op\":\"ifaces\"}").json().path("result").toString()).isEqualTo("[\"eth0\",\"lo\"]");
    Await.until(() -> http.get("/v1/snapshots").json().path("snapshots").findValuesAsText("function").contains("fetcher"),
        WAIT, "fetcher's snapshot");

    // three at once while one VM is warm: clones of the snapshot fetch side by side, each with the
    // snapshot's guest address, unchanged
    String slowFetch = "{\"op\":\"fetch\",\"host\":\"" + server.address() + "\",\"port\":8080,\"sleep\":4}";
    List<CompletableFuture<Http.Reply>> burst = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      burst.add(CompletableFuture.supplyAsync(() -> http.invoke("fetcher", slowFetch)));
    }
    List<String> restoredVms = new ArrayList<>();
    for (CompletableFuture<Http.Reply> call : burst) {
      Http.Reply reply = call.get();
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      assertThat(reply.json().path("result").path("body").asText()).as(reply.body()).isEqualTo(PAGE);
      assertThat(reply.json().path("result").path("local").asText()).isEqualTo("172.16.0.2");
      if (reply.json().path("startKind").asText().equals("restore")) {
        restoredVms.add(reply.json().path("vmId").asText());
      }
    }
    assertThat(restoredVms).as("clones restored for the burst").hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();

    // the same server on a port the allow-list lacks: the host reaches it, the function cannot
    assertThat(server.accepts(8081)).isTrue();
    var blockedPort = http.invoke("fetcher", "{\"op\":\"fetch\",\"host\":\"" + server.address() + "\",\"port\":8081}");
    assertThat(blockedPort.json().path("result").path("ok").asBoolean(true)).as(blockedPort.body()).isFalse();

    // bytes in and out of the guest are in each invocation's trace record
    JsonNode traces = http.get("/v1/invocations?function=fetcher").json().path("invocations");
    assertThat(traces.findValues("netInBytes").stream().mapToLong(JsonNode::asLong).max().orElse(0)).isGreaterThan(PAGE.length());
    assertThat(traces.findValues("netOutBytes").stream().mapToLong(JsonNode::asLong).max().orElse(0)).isGreaterThan(0);
    assertThat(http.get("/metrics").body()).containsPattern("faascell_network_namespaces\\{state=\"in-use\"\\} [1-9]");

    // any destination but the node and other VMs: the server's second port, yes; the daemon's API on
    // the host's ends of the VMs' links, and the namespaces of the other VMs (which run: fetcher's),
    // never. "refused" would mean a packet got through to a kernel that answered.
    String prober = netOff + ",\"network\":{\"mode\":\"egress\",\"allow\":[],\"bandwidthMbit\":40}";
    assertThat(http.deploy("prober", "python", "main.handle", "main.py", CODE, prober).status()).isEqualTo(201);
    List<String> forbidden = new ArrayList<>();
    for (int slot = 0; slot < 4; slot++) {
      forbidden.add("10.213.0." + (4 * slot + 1) + ":" + node.port());
      forbidden.add("10.213.0." + (4 * slot + 2) + ":" + node.port());
    }
    List<String> targets = new ArrayList<>(forbidden);
    targets.add(server.address() + ":8081");
    var probe = http.invoke("prober", "{\"op\":\"connect\",\"targets\":" + Http.quoteAll(targets) + "}");
    assertThat(probe.status()).as(probe.body()).isEqualTo(200);
    JsonNode outcomes = probe.json().path("result");
    assertThat(outcomes.path(server.address() + ":8081").asText()).as(probe.body()).isEqualTo("connected");
    for (String target : forbidden) {
      assertThat(outcomes.path(target).asText()).as(target + " in " + probe.body()).isNotIn("connected", "refused", "");
    }
    // the prober's bandwidth limit is a token bucket on its tap (traffic to the guest) and its link out
    List<String> shaped = new ArrayList<>();
    for (String namespace : RealNodes.networkLeftovers(prefix)) {
      if (namespace.startsWith("netns ")) {
        String name = namespace.substring("netns ".length());
        shaped.add(Command.of("tc", "-n", name, "qdisc", "show", "dev", "tap0").run()
            + Command.of("tc", "-n", name, "qdisc", "show", "dev", "veth0").run());
      }
    }
    assertThat(shaped).filteredOn(qdiscs -> qdiscs.contains("tbf")).hasSize(1)
        .allMatch(qdiscs -> qdiscs.split("tbf", -1).length == 3 && qdiscs.contains("rate 40Mbit"));

    // without network: no device but lo, and no way out
    assertThat(http.deploy("isolated", "python", "main.handle", "main.py", CODE, netOff).status()).isEqualTo(201);
    assertThat(http.invoke("isolated", "{\"op\":\"ifaces\"}").json().path("result").toString()).isEqualTo("[\"lo\"]");
    assertThat(http.invoke("isolated", fetch8080).json().path("result").path("ok").asBoolean(true)).isFalse();

    assertThat(RealNodes.networkLeftovers(prefix)).isNotEmpty();
    node.close();
    toClose.remove(node);
    assertThat(RealNodes.networkLeftovers(prefix)).isEmpty();
  }

  @Test
  void aNamespaceThatCannotBeMadeFailsThatStartWith502AndAKilledDaemonsNetworkIsRemovedAtRestart() throws Exception {
    dir = TestNodes.tempDir("fc-netkill-");
    String prefix = "fcik" + randomSuffix();
    DaemonProcesses daemons = new DaemonProcesses(dir, "faascell.network.name-prefix = " + prefix,
        // one namespace only: when its name is taken, there is no other to fall back to
        "faascell.network.address-range = \"10.215.0.0/30\"", "faascell.network.spare-namespaces = 0");
    toClose.add(daemons::stopAll);
    DaemonProcesses.Daemon first = daemons.start();
    Http http = new Http(first.url());
    String egress = "\"network\":{\"mode\":\"egress\",\"allow\":[\"10.215.9.0/24:80\"]}";
    assertThat(http.deploy("walled", "python", "main.handle", "main.py", CODE, egress).status()).isEqualTo(201);

    // the node's first namespace cannot be made: its name is taken
    Command.of("ip", "netns", "add", prefix + "-0").run();
    var failed = http.invoke("walled", "{\"op\":\"ifaces\"}");
    assertThat(failed.status()).as(failed.body()).isEqualTo(502);
    assertThat(failed.body()).contains("cannot create network namespace " + prefix + "-0");
    Command.of("ip", "netns", "del", prefix + "-0").run();
    var served = http.invoke("walled", "{\"op\":\"ifaces\"}");
    assertThat(served.status()).as(served.body()).isEqualTo(200);
    assertThat(served.json().path("result").toString()).isEqualTo("[\"eth0\",\"lo\"]");
    assertThat(RealNodes.networkLeftovers(prefix)).contains("netns " + prefix + "-0", "link " + prefix + "-0",
        "table inet " + prefix);

    first.process().destroyForcibly().waitFor();
    Await.until(() -> RealNodes.qemuProcessesUnder(daemons.runDir()).isEmpty(), WAIT, "the killed daemon's VMs to die");
    assertThat(RealNodes.networkLeftovers(prefix)).isNotEmpty();
    DaemonProcesses.Daemon second = daemons.start();
    assertThat(RealNodes.networkLeftovers(prefix)).isEmpty();
    second.process().destroy();
    second.process().waitFor();
    assertThat(RealNodes.networkLeftovers(prefix)).isEmpty();
  }
}
