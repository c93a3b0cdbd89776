package dev.faascell.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faascell.model.AllowRule;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NetworkSettingsTest {
  @Test
  void aRangeHoldsOneSlashThirtyPerVm() {
    assertThat(settings("10.200.0.0/16", "fc1234").slots()).isEqualTo(16384);
    assertThat(settings("10.215.0.0/30", "fc1234").slots()).isEqualTo(1);
  }

  @Test
  void theDerivedPrefixIsTheRunDirsAndFitsAnInterfaceName() {
    String prefix = NetworkSettings.prefixFor(Path.of("/run/faascell"));
    assertThat(prefix).matches("fc[0-9a-f]{4}").isEqualTo(NetworkSettings.prefixFor(Path.of("/run/faascell/")));
    assertThat(prefix).isNotEqualTo(NetworkSettings.prefixFor(Path.of("/run/faascell-2")));
    assertThat((prefix + "-" + 16383).length()).isLessThanOrEqualTo(15);
  }

  @Test
  void badSettingsNameTheKey() {
    assertThatThrownBy(() -> settings("10.200.0.0/31", "fc1234")).hasMessageContaining("faascell.network.address-range");
    assertThatThrownBy(() -> settings("10.200.0.0/16:80", "fc1234")).hasMessageContaining("faascell.network.address-range");
    assertThatThrownBy(() -> settings("10.200.0.0/16", "Fc-1")).hasMessageContaining("faascell.network.name-prefix");
    assertThatThrownBy(() -> settings("10.200.0.0/16", "fc1234567")).hasMessageContaining("faascell.network.name-prefix");
  }

  private static NetworkSettings settings(String range, String prefix) {
    return new NetworkSettings(AllowRule.parse(range), prefix, 0, 2, true);
  }
}
