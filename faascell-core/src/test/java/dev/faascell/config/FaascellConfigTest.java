package dev.faascell.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.faascell.model.CodeBundle;
import dev.faascell.model.FunctionName;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.InvalidInputException;
import dev.faascell.model.RuntimeKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaascellConfigTest {
  @Test
  void defaultsAreDocumentedInReferenceConf() {
    FaascellConfig config = FaascellConfig.from(ConfigFactory.empty());
    assertThat(config.api().host()).isEqualTo("127.0.0.1");
    assertThat(config.api().port()).isEqualTo(8080);
    assertThat(config.keepAliveCheckInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.capacity(false).memoryMb()).isPositive();
    assertThat(config.image().getString("cache-dir")).isEqualTo(config.stateDir() + "/images");
  }

  @Test
  void aUserFileOverridesAndMovesDerivedPaths(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.conf");
    Files.writeString(file, "faascell.state-dir = \"/srv/fc\"\nfaascell.api.port = 9999\nfaascell.node.memory-mb = 1024\n");
    FaascellConfig config = FaascellConfig.load(Optional.of(file));
    assertThat(config.api().port()).isEqualTo(9999);
    assertThat(config.image().getString("cache-dir")).isEqualTo("/srv/fc/images");
    assertThat(config.capacity(false).memoryMb()).isEqualTo(1024);
  }

  @Test
  void theDefaultCapacityFitsTheHost() {
    FaascellConfig config = FaascellConfig.from(ConfigFactory.empty());
    int cores = Runtime.getRuntime().availableProcessors();
    NodeCapacity tcg = config.capacity(false);
    long hostMb = HostMemory.totalMb();
    assertThat(tcg.reserveMb()).isEqualTo(Math.max(1024, hostMb / 10));
    assertThat(tcg.memoryMb()).isEqualTo(hostMb - tcg.reserveMb());
    assertThat(tcg.startSlots()).isEqualTo(cores);
    assertThat(config.capacity(true).startSlots()).isEqualTo(2 * cores);
    // no count or vCPU cap by default: memory decides how many VMs a node holds
    assertThat(tcg.maxVms()).isEqualTo(Integer.MAX_VALUE);
    assertThat(tcg.vcpus()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void overcommitScalesTheMemoryBudget() {
    FaascellConfig config = FaascellConfig.from(ConfigFactory.parseMap(Map.of(
        "faascell.node.memory-overcommit", "1.5", "faascell.node.memory-reserve-mb", "2048")));
    assertThat(config.capacity(false).memoryMb()).isEqualTo((long) ((HostMemory.totalMb() - 2048) * 1.5));
  }

  @Test
  void aMissingUserFileIsAnError() {
    assertThatThrownBy(() -> FaascellConfig.load(Optional.of(Path.of("/nonexistent.conf"))))
        .hasMessageContaining("/nonexistent.conf");
  }

  @Test
  void aWronglyTypedValueIsAnError() {
    assertThatThrownBy(() -> FaascellConfig.from(ConfigFactory.parseMap(Map.of("faascell.api.port", "many"))))
        .hasMessageContaining("port");
  }

  @Test
  void functionLimitsNameTheOffendingField() {
    FunctionLimits limits = FaascellConfig.from(ConfigFactory.empty()).functionLimits();
    FunctionSpec tooBig = new FunctionSpec(FunctionName.of("f"), RuntimeKind.PYTHON, "main.handle",
        CodeBundle.file("main.py", new byte[0]), 1 << 20, 1, Duration.ofSeconds(1), Map.of());
    assertThatThrownBy(() -> limits.check(tooBig)).isInstanceOf(InvalidInputException.class).hasMessageContaining("memoryMb");
  }

  @Test
  void restoredGuestsResumeWithTheirFirstRunUnlessConfiguredOtherwise() {
    assertThat(FaascellConfig.from(ConfigFactory.empty()).snapshots().resume())
        .isEqualTo(new FaascellConfig.ResumeSettings(true, true));
    assertThat(FaascellConfig.from(ConfigFactory.parseMap(Map.of("faascell.snapshots.resume", "separate-exchanges")))
        .snapshots().resume().withFirstRun()).isFalse();
    assertThatThrownBy(() -> FaascellConfig.from(ConfigFactory.parseMap(Map.of("faascell.snapshots.resume", "later")))
        .snapshots()).hasMessageContaining("with-first-run or separate-exchanges");
  }
}
