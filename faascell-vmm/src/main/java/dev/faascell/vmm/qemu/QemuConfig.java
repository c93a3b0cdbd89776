package dev.faascell.vmm.qemu;

import dev.faascell.vmm.Accelerator;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The QEMU microvm driver's settings (faascell.vmm in reference.conf).
 *
 * @param runDir        one directory per running VM below it (sockets, pid file, logs); keep it short,
 *                      Unix socket paths are limited to 107 bytes
 * @param kernelArgs    appended to the guest kernel command line
 * @param sandbox       run QEMU under its seccomp filter (no spawning, no privilege elevation)
 * @param tcgTbSizeMb   TCG translation cache per VM; the default 1 GiB would dominate a small VM's RSS
 * @param jailFirstUid  the first of the unprivileged uids QEMU processes run as, chrooted into their
 *                      own VM directory, one uid per live VM
 * @param jailUids      how many such uids; 0 leaves QEMU with the daemon's uid and root directory
 * @param jailLeaseDir  where the uids are leased (one locked file per uid in use): the range is the
 *                      host's, so every daemon on the host must use the same directory
 * @param prestartRefillDelay how long restores must pause before a QEMU kept ready that one took is
 *                      replaced (faascell.snapshots.prestart-refill-delay)
 */
public record QemuConfig(String binary, Accelerator accelerator, Path runDir, String kernelArgs, boolean sandbox,
                         int tcgTbSizeMb, int jailFirstUid, int jailUids, Path jailLeaseDir,
                         Duration prestartRefillDelay) {}
