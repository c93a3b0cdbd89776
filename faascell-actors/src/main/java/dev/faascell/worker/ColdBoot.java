package dev.faascell.worker;

import dev.faascell.guest.protocol.GuestReply;
import dev.faascell.guest.protocol.HostRequest;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionSpec;
import dev.faascell.vmm.MemoryBacking;
import dev.faascell.vmm.VmInstance;
import dev.faascell.vmm.VmLaunch;
import dev.faascell.vmm.VmmException;
import dev.faascell.worker.Worker.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cold boot (the verb of Firecracker's {@code builder.rs}): a fresh VM from the guest image, connected
 * to its agent ({@link #launch}, on the I/O executor); then the Worker's two cold-boot states: HELLO,
 * answered by READY once the guest has booted ({@link #booting}), and INIT, which loads the function
 * ({@link #initialising}). A VM that is to be snapshotted keeps its RAM in a file, which the snapshot
 * shares; it goes on to {@link TakeSnapshot} before it serves.
 */
final class ColdBoot {
  private static final Logger log = LoggerFactory.getLogger(ColdBoot.class);

  private ColdBoot() {
  }

  /**
   * Launches the VM and connects to its agent. Blocks: runs on the I/O executor.
   *
   * @param ramInFile back the guest's RAM with a file (to snapshot it) if the RAM directory has room
   * @return the VM; its {@code ramFile} is empty when it was not to be, or could not be, file-backed
   */
  static LiveVm launch(String vmId, FunctionSpec function, WorkerContext context, boolean ramInFile,
                       GuestSession.Listener listener) {
    try {
      Files.createDirectories(context.ramDir());
      Optional<Path> ramFile = ramInFile && roomForRamFile(function, context.ramDir())
          ? Optional.of(context.ramDir().resolve(vmId + ".ram")) : Optional.empty();
      MemoryBacking memory = ramFile.<MemoryBacking>map(MemoryBacking.SharedFile::new)
          .orElseGet(MemoryBacking.Anonymous::new);
      VmInstance vm = context.vmm().launch(new VmLaunch(vmId, context.image(), function.memoryMb(), function.vcpus(),
          memory, function.network()));
      return LiveVm.connect(vm, ramFile, context.settings().bootTimeout(), context, listener);
    } catch (VmmException | IOException e) {
      throw new StartFailure(e.getMessage(), false);
    }
  }

  /**
   * A guest whose RAM file outgrows a full tmpfs dies of SIGBUS: only back RAM with a file (to snapshot
   * it) when the file system has room for all of it, and for the snapshot's copy.
   */
  private static boolean roomForRamFile(FunctionSpec function, Path ramDir) throws IOException {
    long needed = 2L * function.memoryMb() << 20;
    return Files.getFileStore(ramDir).getUsableSpace() >= needed;
  }

  static HostRequest hello() {
    return new HostRequest.Hello();
  }

  /** HELLO is out; the guest answers READY once it has booted. */
  static Behavior<Command> booting(Worker w, Start start, LiveVm vm) {
    Worker.Failure failure = w.startFailure(start, vm);
    return w.common(Behaviors.receive(Command.class)
        .onMessage(Worker.GuestReplied.class, msg -> {
          Optional<String> notReady = notReady(msg.exchange().reply());
          if (notReady.isPresent()) {
            return w.violation(failure, notReady.get());
          }
          w.pool.tell(new Worker.Initialising(w.vmId));
          Start booted = start.cost(start.cost().booted(w.now()));
          log.debug("event=vm-booted vm={} function={} boot_ms={}", w.vmId, w.function.name(),
              booted.cost().bootNanos() / 1e6);
          w.startTimer(w.context.settings().initTimeout());
          vm.session().request(init(w.function));
          return initialising(w, booted, vm, w.now());
        }), vm, failure, w.startDeadline(start));
  }

  /** INIT is out; the function is loading. */
  private static Behavior<Command> initialising(Worker w, Start start, LiveVm vm, long initStartedAt) {
    Worker.Failure failure = w.startFailure(start, vm);
    return w.common(Behaviors.receive(Command.class)
        .onMessage(Worker.GuestReplied.class, msg -> {
          if (msg.exchange().reply() instanceof GuestReply.Error error) {
            return w.fail(FailureKind.INIT_ERROR, "the function failed to load: " + error.message(),
                error.stderrTail(), vm, start.cost(), start.first());
          }
          if (!(msg.exchange().reply() instanceof GuestReply.Ok)) {
            return w.violation(failure, "expected OK or ERROR to INIT, got " + GuestSession.kind(msg.exchange().reply()));
          }
          w.stopTimer();
          Start loaded = start.cost(start.cost().initialised(w.now() - initStartedAt));
          log.debug("event=vm-ready vm={} function={} boot_ms={} init_ms={}", w.vmId, w.function.name(),
              loaded.cost().bootNanos() / 1e6, loaded.cost().initNanos() / 1e6);
          return loaded.order().isPresent() ? TakeSnapshot.snapshotting(w, loaded, vm, loaded.order().get())
              : w.started(loaded, vm);
        }), vm, failure, new Deadline(FailureKind.INIT_ERROR, "the function did not load within "
            + w.context.settings().initTimeout().toMillis() + " ms; its VM was killed"));
  }

  /** Why the guest's answer to HELLO is not a booted agent this host can talk to; empty if it is. */
  private static Optional<String> notReady(GuestReply reply) {
    if (!(reply instanceof GuestReply.Ready ready)) {
      return Optional.of("expected READY, got " + GuestSession.kind(reply));
    }
    return ready.protocolVersion() == 1 ? Optional.empty()
        : Optional.of("guest speaks protocol " + ready.protocolVersion());
  }

  /** Loads the function: its runtime, handler, code and environment. */
  private static HostRequest init(FunctionSpec function) {
    var code = function.code();
    return new HostRequest.Init(function.runtime().wireName(), function.handler(),
        code.format().name().toLowerCase(Locale.ROOT), code.fileName(), code.bytes(), function.env(),
        function.name().value(), function.memoryMb(), function.timeout().toMillis());
  }
}
