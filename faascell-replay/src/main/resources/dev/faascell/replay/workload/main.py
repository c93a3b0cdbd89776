"""FaaSCell replay workload: stands in for one function of a trace.

The payload says how long the invocation runs and how much memory it touches:
{"durationMs": d, "memoryMb": m}. The handler allocates m MiB, writes one byte in every 4096 (one per
page, so the guest really backs the memory), then waits until d ms have passed since it started and
returns what it was asked.

Waiting sleeps rather than spins: the trace's durations are wall-clock times of functions that
mostly wait on I/O, and the replay host has two cores shared by every VM, QEMU and the daemon, so
spinning for seconds would measure CPU contention instead of the node's scheduling. Only the last
couple of milliseconds spin, because a sleep can overshoot by a timer tick.
"""
import time

PAGE = 4096
MIB = 1024 * 1024
SPIN_SECONDS = 0.002


def handle(event):
    started = time.monotonic()
    duration_ms = event.get("durationMs", 0)
    memory_mb = event.get("memoryMb", 0)

    memory = bytearray(memory_mb * MIB)
    memory[::PAGE] = b"\x01" * len(range(0, len(memory), PAGE))

    deadline = started + duration_ms / 1000.0
    remaining = deadline - time.monotonic()
    if remaining > SPIN_SECONDS:
        time.sleep(remaining - SPIN_SECONDS)
    while time.monotonic() < deadline:
        pass
    return {"durationMs": duration_ms, "memoryMb": memory_mb}
