package dev.faascell.vmm.qemu;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure no QEMU outlives the daemon, however the daemon ends (kill -9, the OOM killer). A small
 * watchdog process is told each QEMU's pid as it starts and exits, over a pipe only the daemon holds;
 * when the pipe closes — the daemon exited, for whatever reason — the watchdog kills every QEMU it
 * still knows. A parent-death signal cannot do this: QEMU drops to its jail uid, and the kernel clears
 * that signal on every change of credentials.
 */
final class OrphanGuard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OrphanGuard.class);
  /** Kills only processes whose command line is still a FaaSCell QEMU's, so a recycled pid is never hit. */
  private static final String WATCHDOG = """
      trap '' INT TERM HUP
      declare -A pids
      while read -r op pid; do
        case "$op" in
          +) pids[$pid]=1 ;;
          -) unset "pids[$pid]" ;;
        esac
      done
      for pid in "${!pids[@]}"; do
        if tr '\\0' ' ' < /proc/$pid/cmdline 2>/dev/null | grep -q -- '-name faascell-'; then
          kill -9 "$pid" 2>/dev/null
        fi
      done
      """;

  private final Process watchdog;
  private final OutputStream pipe;

  private OrphanGuard(Process watchdog) {
    this.watchdog = watchdog;
    this.pipe = watchdog.getOutputStream();
  }

  /** Starts the watchdog; the OOM killer never picks it (it holds almost nothing, and it must outlive the daemon). */
  static OrphanGuard start() throws IOException {
    Process process = new ProcessBuilder("bash", "-c", WATCHDOG)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    OomScore.set(process.pid(), OomScore.NEVER);
    return new OrphanGuard(process);
  }

  long pid() {
    return watchdog.pid();
  }

  synchronized void watch(long qemuPid) {
    send("+ " + qemuPid);
  }

  synchronized void release(long qemuPid) {
    send("- " + qemuPid);
  }

  private void send(String line) {
    try {
      pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      pipe.flush();
    } catch (IOException e) {
      log.warn("event=orphan-guard-lost reason=\"{}\"", e.getMessage());
    }
  }

  /** The daemon stops cleanly: its VMs are gone by now, and the watchdog ends. */
  @Override
  public synchronized void close() {
    try {
      pipe.close();
      watchdog.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      watchdog.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Linux's OOM score adjustments: which process the OOM killer picks first. */
  static final class OomScore {
    static final int NEVER = -1000;
    static final int FIRST = 1000;

    private OomScore() {
    }

    /** Best effort: without the right to lower a score, the kernel's own choice stands. */
    static void set(long pid, int adjustment) {
      try {
        Files.writeString(Path.of("/proc", Long.toString(pid), "oom_score_adj"), Integer.toString(adjustment));
      } catch (IOException e) {
        log.debug("event=oom-score-unchanged pid={} reason=\"{}\"", pid, e.getMessage());
      }
    }
  }
}
