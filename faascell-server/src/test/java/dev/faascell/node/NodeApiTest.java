package dev.faascell.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faascell.config.FunctionLimits;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvalidInputException;
import dev.faascell.model.RuntimeKind;
import dev.faascell.registry.FunctionRegistry;
import dev.faascell.store.NodeStore;
import dev.faascell.store.StoreException;
import dev.faascell.testing.TestNodes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deploys and deletes go through the store thread, never the caller's, and their failures come back in the stage. */
class NodeApiTest {
  private static final FunctionLimits LIMITS = new FunctionLimits(128, 64, 1024, 1, 2, Duration.ofSeconds(5),
      Duration.ofMinutes(1));

  private Path dir;
  private NodeStore store;
  private FunctionRegistry registry;
  private NodeApi node;
  /** The thread each registry change was made on. */
  private final List<String> changedOn = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    dir = TestNodes.tempDir("fc-nodeapi-");
    store = NodeStore.open(dir.resolve("faascell.db"));
    registry = new FunctionRegistry(store, LIMITS, Clock.systemUTC());
    registry.listen(new FunctionRegistry.Listener() {
      @Override
      public void deployed(FunctionSpec function) {
        changedOn.add(Thread.currentThread().getName());
      }

      @Override
      public void removed(FunctionName function) {
        changedOn.add(Thread.currentThread().getName());
      }
    });
    // the facade's actors are not asked in these tests: deploys and deletes only reach the registry
    node = new NodeApi(registry, new NodeApi.Actors(null, null, null, null, null, null),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        new NodeApi.Settings(Duration.ofMinutes(1), Duration.ofSeconds(1), "fake", "fake"));
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
    store.close();
    TestNodes.delete(dir);
  }

  private static FunctionSpec echo(String name, String script) {
    return new FunctionSpec(FunctionName.of(name), RuntimeKind.EXEC, "handler.sh",
        CodeBundle.file("handler.sh", script.getBytes(StandardCharsets.UTF_8)), 128, 1, Duration.ofSeconds(5), Map.of());
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void deploysAndDeletesRunOnTheStoreThread() throws Exception {
    assertThat(await(node.deploy(echo("f", "#!/bin/sh\ncat\n")))).isEqualTo(FunctionRegistry.DeployOutcome.CREATED);
    assertThat(await(node.deploy(echo("f", "#!/bin/sh\ncat\n")))).isEqualTo(FunctionRegistry.DeployOutcome.UNCHANGED);
    assertThat(await(node.deploy(echo("f", "#!/bin/sh\necho 1\n")))).isEqualTo(FunctionRegistry.DeployOutcome.UPDATED);
    assertThat(await(node.delete(FunctionName.of("f")))).isTrue();
    assertThat(await(node.delete(FunctionName.of("f")))).isFalse();

    assertThat(changedOn).hasSize(3).containsOnly("faascell-store");
    assertThat(store.loadFunctions()).isEmpty();
  }

  @Test
  void concurrentCallersAllHaveTheirFunctionsStored() throws Exception {
    List<CompletableFuture<FunctionRegistry.DeployOutcome>> deploys = new CopyOnWriteArrayList<>();
    List<Thread> callers = new java.util.ArrayList<>();
    for (int caller = 0; caller < 8; caller++) {
      int id = caller;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 10; i++) {
          deploys.add(node.deploy(echo("f-" + id + "-" + i, "#!/bin/sh\ncat\n")).toCompletableFuture());
        }
      });
      thread.start();
      callers.add(thread);
    }
    for (Thread caller : callers) {
      caller.join();
    }
    for (var deploy : deploys) {
      assertThat(deploy.get(10, TimeUnit.SECONDS)).isEqualTo(FunctionRegistry.DeployOutcome.CREATED);
    }
    assertThat(store.loadFunctions()).hasSize(80);
    assertThat(node.functions()).hasSize(80);
  }

  @Test
  void aRefusedSpecFailsTheStageAndStoresNothing() {
    FunctionSpec noHandler = new FunctionSpec(FunctionName.of("f"), RuntimeKind.PYTHON, "main.handle",
        CodeBundle.file("other.py", "x = 1\n".getBytes(StandardCharsets.UTF_8)), 128, 1, Duration.ofSeconds(5), Map.of());

    assertThatThrownBy(() -> await(node.deploy(noHandler))).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(InvalidInputException.class);
    assertThat(node.function(FunctionName.of("f"))).isEmpty();
  }

  @Test
  void aFailingStoreFailsTheStage() {
    store.close();

    assertThatThrownBy(() -> await(node.deploy(echo("f", "#!/bin/sh\ncat\n")))).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(StoreException.class);
    assertThat(node.function(FunctionName.of("f"))).isEmpty();
  }
}
