package dev.faascell.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JailUidsTest {
  @Test
  void handsOutEachUidOnceUntilItIsReleased() {
    JailUids uids = new JailUids(5000, 2);
    assertThat(uids.acquire()).hasValue(5000);
    assertThat(uids.acquire()).hasValue(5001);
    assertThat(uids.acquire()).isEmpty();
    uids.release(5000);
    assertThat(uids.acquire()).hasValue(5000);
  }

  @Test
  void aRangeOfNoUidsIsNoJail() {
    assertThat(new JailUids(0, 0).enabled()).isFalse();
    assertThat(new JailUids(5000, 1).enabled()).isTrue();
  }

  @Test
  void refusesRootAsAJailUid() {
    assertThatThrownBy(() -> new JailUids(0, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
