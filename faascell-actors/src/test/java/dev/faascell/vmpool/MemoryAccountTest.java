package dev.faascell.vmpool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The node's memory accounting and the host guard, on a virtual clock (nanoseconds). */
class MemoryAccountTest {
  private static final long S = 1_000_000_000L;

  @Test
  void vmsAreAccountedByTheirEstimateUntilMeasuredHigher() {
    MemoryAccount memory = new MemoryAccount(1000, 0);
    memory.add("vm-1", 64, 0);
    memory.measured("vm-1", 40);
    assertThat(memory.accountedMb()).isEqualTo(64);
    memory.measured("vm-1", 90);
    assertThat(memory.accountedMb()).isEqualTo(90);
    memory.remove("vm-1");
    assertThat(memory.accountedMb()).isZero();
  }

  @Test
  void theBudgetBoundsTheAccountedSum() {
    MemoryAccount memory = new MemoryAccount(200, 0);
    memory.add("vm-1", 150, 0);
    assertThat(memory.shortfallMb(50, 0)).isZero();
    assertThat(memory.shortfallMb(64, 0)).isEqualTo(14);
  }

  @Test
  void theHostGuardKeepsTheReserveCountingVmsTheHostDidNotShowYet() {
    MemoryAccount memory = new MemoryAccount(100_000, 1000);
    memory.hostAvailable(1500, 10 * S);
    assertThat(memory.shortfallMb(400, 10 * S)).isZero();
    // a VM started just before the reading is not in it yet: counted on top
    memory.add("vm-1", 300, 9 * S);
    assertThat(memory.shortfallMb(400, 10 * S)).isEqualTo(200);
    // a later reading that includes it
    memory.hostAvailable(1200, 12 * S);
    assertThat(memory.shortfallMb(200, 12 * S)).isZero();
    assertThat(memory.shortfallMb(201, 12 * S)).isEqualTo(1);
  }

  @Test
  void withoutAHostReadingOnlyTheBudgetCounts() {
    MemoryAccount memory = new MemoryAccount(500, 100_000);
    assertThat(memory.hostAvailableMb()).isEqualTo(-1);
    assertThat(memory.shortfallMb(400, 0)).isZero();
  }
}
