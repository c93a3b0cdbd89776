"""FaaSCell replay workload: stands in for one function of a trace.

Memory, in one of two models (the replay's --memory-model). Resident (the default): the function's
RESIDENT_MB environment variable names the memory it allocates once, when it is loaded (INIT), and
keeps for as long as its VM lives, which is what a trace app's allocated memory means; invocations
then touch nothing more. Per invocation: the payload's memoryMb is allocated afresh by every
invocation. Either way one byte in every 4096 is written (one per page, so the guest really backs the
memory). Under TCG touching memory costs about 15 ms of CPU per MiB, so the per-invocation model
adds that to every invocation's duration; the resident model pays it once, in the cold start.

The payload says how long the invocation runs and how much memory it touches:
{"durationMs": d, "memoryMb": m}. The handler touches m MiB (0 in the resident model), then waits
until d ms have passed since it started and returns what it was asked.

Waiting sleeps rather than spins: the trace's durations are wall-clock times of functions that
mostly wait on I/O, and the replay host has two cores shared by every VM, QEMU and the daemon, so
spinning for seconds would measure CPU contention instead of the node's scheduling. Only the last
couple of milliseconds spin, because a sleep can overshoot by a timer tick.
"""
import os
import time

PAGE = 4096
MIB = 1024 * 1024
SPIN_SECONDS = 0.002


def _touched(memory_mb):
    memory = bytearray(memory_mb * MIB)
    memory[::PAGE] = b"\x01" * len(range(0, len(memory), PAGE))
    return memory


# allocated at INIT and held by the module for the VM's life
_resident = _touched(int(os.environ.get("RESIDENT_MB", "0")))


def handle(event):
    started = time.monotonic()
    duration_ms = event.get("durationMs", 0)
    memory_mb = event.get("memoryMb", 0)

    memory = _touched(memory_mb)

    deadline = started + duration_ms / 1000.0
    remaining = deadline - time.monotonic()
    if remaining > SPIN_SECONDS:
        time.sleep(remaining - SPIN_SECONDS)
    while time.monotonic() < deadline:
        pass
    return {"durationMs": duration_ms, "memoryMb": memory_mb}
