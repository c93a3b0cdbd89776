package dev.faascell.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JailUidsTest {
  @TempDir
  Path leases;

  @Test
  void handsOutEachUidOnceUntilItIsReleased() throws Exception {
    JailUids uids = new JailUids(leases, 5000, 2);
    assertThat(uids.acquire()).hasValue(5000);
    assertThat(uids.acquire()).hasValue(5001);
    assertThat(uids.acquire()).isEmpty();
    uids.release(5000);
    assertThat(uids.acquire()).hasValue(5000);
  }

  @Test
  void twoNodesInOneProcessNeverShareAUid() throws Exception {
    JailUids first = new JailUids(leases, 5000, 4);
    JailUids second = new JailUids(leases, 5000, 4);
    Set<Integer> handedOut = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      handedOut.add(first.acquire().orElseThrow());
      handedOut.add(second.acquire().orElseThrow());
    }
    assertThat(handedOut).containsExactlyInAnyOrder(5000, 5001, 5002, 5003);
    assertThat(second.acquire()).as("the range is the host's, not each node's").isEmpty();
    first.release(5001);
    assertThat(second.acquire()).hasValue(5001);
  }

  @Test
  void aUidLeasedByAnotherProcessIsTakenOnlyOnceThatProcessDies() throws Exception {
    // another daemon, as far as the lease is concerned: a process holding a POSIX lock on the lease file
    Process holder = new ProcessBuilder("python3", "-c", """
        import fcntl, sys, time
        lease = open(sys.argv[1], 'w')
        fcntl.lockf(lease, fcntl.LOCK_EX)
        print('locked', flush=True)
        time.sleep(600)
        """, leases.resolve("5000").toString()).redirectErrorStream(true).start();
    try {
      String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertThat(line).isEqualTo("locked");
      JailUids uids = new JailUids(leases, 5000, 2);
      assertThat(uids.acquire()).as("5000 is the other process's").hasValue(5001);
      assertThat(uids.acquire()).isEmpty();

      holder.destroyForcibly();   // kill -9: the kernel drops its lock, the lease file stays
      assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(leases.resolve("5000")).exists();
      assertThat(uids.acquire()).as("a dead holder's lease is reclaimed").hasValue(5000);
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void aRangeOfNoUidsIsNoJail() {
    assertThat(JailUids.none().enabled()).isFalse();
    assertThat(new JailUids(leases, 5000, 1).enabled()).isTrue();
  }

  @Test
  void refusesRootAsAJailUid() {
    assertThatThrownBy(() -> new JailUids(leases, 0, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
