package dev.faascell.vmm.fake;

import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmLaunch;
import dev.faascell.vmm.Vmm;
import dev.faascell.vmm.VmRestore;
import dev.faascell.vmm.VmmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory VMM for fast tests of actors and policies: each "VM" is a thread that speaks the real
 * channel protocol on a real Unix socket, running {@link FakeGuest}'s scripted functions instead of a
 * guest. Everything above the Vmm interface runs unchanged.
 */
public final class FakeVmm implements Vmm {
  private final Path runDir;
  private final long bootMillis;
  private final Map<String, FakeGuest> live = new ConcurrentHashMap<>();
  private final AtomicInteger launches = new AtomicInteger();
  private final AtomicInteger restores = new AtomicInteger();
  private volatile boolean failLaunches;
  private final AtomicInteger restoresToFail = new AtomicInteger();

  public FakeVmm(Path runDir, long bootMillis) {
    this.runDir = runDir;
    this.bootMillis = bootMillis;
  }

  /** Makes every following launch fail, as a VMM that cannot start would. */
  public void failLaunches(boolean fail) {
    this.failLaunches = fail;
  }

  /** Makes the next {@code count} restores fail as a busy host's would (not a damaged snapshot). */
  public void failNextRestores(int count) {
    restoresToFail.set(count);
  }

  public int launches() {
    return launches.get();
  }

  /** The VMs currently running. */
  public List<String> liveVms() {
    return List.copyOf(live.keySet());
  }

  @Override
  public VmInstance launch(VmLaunch launch) throws VmmException {
    launches.incrementAndGet();
    if (failLaunches) {
      throw new VmmException("fake launch failure");
    }
    return start(launch.vmId(), "");
  }

  /** Restores the handler a fake snapshot recorded; a state file that is not one fails, as in QEMU. */
  @Override
  public VmInstance restore(VmRestore restore) throws VmmException {
    restores.incrementAndGet();
    if (restoresToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new VmmException("fake restore: the host is too busy");
    }
    String state;
    try {
      state = Files.readString(restore.snapshot().state());
    } catch (IOException e) {
      throw new VmmException("fake restore cannot read the snapshot: " + e.getMessage(), e);
    }
    if (!state.startsWith(FakeGuest.SNAPSHOT_MAGIC)) {
      throw new VmmException("fake restore: not a snapshot");
    }
    return start(restore.vmId(), state.substring(FakeGuest.SNAPSHOT_MAGIC.length()));
  }

  public int restores() {
    return restores.get();
  }

  private VmInstance start(String vmId, String restoredHandler) throws VmmException {
    try {
      Path dir = Files.createDirectories(runDir.resolve(vmId));
      FakeGuest guest = new FakeGuest(vmId, dir.resolve("chan.sock"), restoredHandler.isEmpty() ? bootMillis : 1,
          restoredHandler);
      live.put(vmId, guest);
      guest.exited().whenComplete((code, error) -> live.remove(vmId));
      return guest;
    } catch (IOException e) {
      throw new VmmException("fake launch failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void killAll() {
    live.values().forEach(FakeGuest::kill);
  }

  @Override
  public String describe() {
    return "fake";
  }
}
