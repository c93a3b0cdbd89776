package dev.faascell.bench;

import dev.faascell.guest.image.GuestImage;
import dev.faascell.guest.protocol.AgentConnection;
import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.guest.protocol.ProtocolException;
import dev.faascell.vmm.SnapshotFiles;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmRestore;
import dev.faascell.vmm.qemu.QemuMicrovm;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * FaaSCell's restore without FaaSCell: the node's own QEMU driver (same settings, same cgroup limits)
 * restoring the node's snapshot from a QEMU kept ready with the snapshot loaded, then one RUN on the
 * channel, straight from the calling thread: no actors, no HTTP, no trace. {@link #restoreAndRun} with
 * {@code resume} sends exactly what the node's first RUN after a restore carries (the clock and 64
 * bytes of entropy); without, it is the least a restore can cost on this host.
 */
final class RawRestores implements AutoCloseable {
  private static final SecureRandom ENTROPY = new SecureRandom();

  private final QemuMicrovm vmm;
  private final VmRestore template;
  private int restores;

  RawRestores(QemuMicrovm vmm, GuestImage image, SnapshotFiles snapshot, int memoryMb, int vcpus) {
    this.vmm = vmm;
    this.template = new VmRestore("raw-template", image, memoryMb, vcpus, snapshot);
    vmm.keepRestoresReady(template, 1);
  }

  /** Restores a clone, sends one RUN and returns the nanoseconds until its RESULT; the clone is killed after. */
  long restoreAndRun(byte[] payload, boolean resume) throws Exception {
    awaitReady();
    long start = System.nanoTime();
    try (Clone clone = restore()) {
      clone.run(payload, resume ? Optional.of(resume()) : Optional.empty());
      return System.nanoTime() - start;
    }
  }

  /** A clone resumed as the node's first RUN resumes it, kept for warm RUNs on its channel. */
  Clone warmClone(byte[] payload) throws Exception {
    awaitReady();
    Clone clone = restore();
    clone.run(payload, Optional.of(resume()));
    return clone;
  }

  /** What the node's first RUN after a restore carries: the wall clock now and 64 bytes of entropy. */
  private static HostRequest.Resume resume() {
    byte[] entropy = new byte[64];
    ENTROPY.nextBytes(entropy);
    return new HostRequest.Resume(System.currentTimeMillis() * 1_000_000L, Optional.of(entropy));
  }

  private Clone restore() throws Exception {
    VmInstance vm = vmm.restore(new VmRestore("raw-" + ++restores, template.image(), template.memoryMb(),
        template.vcpus(), template.snapshot()));
    try {
      return new Clone(vm, AgentConnection.connect(vm.channelSocket(), Duration.ofSeconds(30), vm::isAlive, 8 << 20));
    } catch (IOException e) {
      vm.kill();
      throw e;
    }
  }

  /** A restored VM and its channel, driven straight from the calling thread; closing it kills the VM. */
  static final class Clone implements AutoCloseable {
    private final VmInstance vm;
    private final AgentConnection channel;
    private int runs;

    private Clone(VmInstance vm, AgentConnection channel) {
      this.vm = vm;
      this.channel = channel;
    }

    /** One RUN and its RESULT. */
    void run(byte[] payload, Optional<HostRequest.Resume> resume) throws IOException, ProtocolException {
      channel.send(new HostRequest.Run(payload, "raw-run-" + ++runs, resume));
      GuestReply reply = channel.receive();
      if (!(reply instanceof GuestReply.Result)) {
        throw new IOException("the raw clone answered " + reply);
      }
    }

    @Override
    public void close() {
      channel.close();
      vm.kill();
    }
  }

  /** Like the node's, the next restore finds its QEMU ready (the last one's refill has finished). */
  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (vmm.restoresReady(template.snapshot()) == 0) {
      if (System.nanoTime() > deadline) {
        throw new IOException("no QEMU became ready for the raw restore within 30 s");
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    vmm.keepRestoresReady(template, 0);
    vmm.killAll();
  }
}
