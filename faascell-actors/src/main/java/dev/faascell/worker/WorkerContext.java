package dev.faascell.worker;

import dev.faascell.config.FaascellConfig.WorkerSettings;
import dev.faascell.guest.image.GuestImage;
import dev.faascell.sink.Sink;
import dev.faascell.vmm.Vmm;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What every Worker of a node shares: the VMM driver, the guest image, timeouts, the executor for
 * blocking VM operations, the Sink, and the clock (System::nanoTime, or a virtual one in tests).
 */
public record WorkerContext(Vmm vmm, GuestImage image, WorkerSettings settings, Executor io,
                            ActorRef<Sink.Command> sink, LongSupplier nanoClock) {}
