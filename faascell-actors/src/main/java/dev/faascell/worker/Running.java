package dev.faascell.worker;

import dev.faascell.invocation.Job;
import dev.faascell.model.FailureKind;
import dev.faascell.model.FunctionSpec;
import dev.faascell.model.HostUsage;
import dev.faascell.model.InvocationResult;
import dev.faascell.model.InvocationTrace;
import dev.faascell.model.StartKind;
import dev.faascell.model.Timing;

/**
 * One invocation in a Worker's hands, and how its result record is assembled: its timing and trace
 * from the VM's start cost (which only the invocation that waited for that start carries) and the run.
 *
 * @param acquiredAt when it got the VM (0 while it waits for the VM's start)
 * @param sentAt     when its RUN went to the guest (0 before)
 */
record Running(Job job, StartKind startKind, long acquiredAt, long sentAt) {
  static Running waiting(Job job, StartKind startKind) {
    return new Running(job, startKind, 0, 0);
  }

  Running sent(long acquired, long sent) {
    return new Running(job, startKind, acquired, sent);
  }

  InvocationResult completed(FunctionSpec function, String vmId, StartCost cost, byte[] output, String stderrTail,
                             long execNanos, long resultAt, HostUsage usage) {
    return new InvocationResult.Completed(job.invocation().id(), function.name(), output, stderrTail, startKind, vmId,
        timing(cost, resultAt - sentAt, execNanos), trace(cost, acquiredAt, resultAt, execNanos, output.length, usage));
  }

  /**
   * The invocation failed: while it ran ({@code sentAt} set: the time until {@code now} is its run), or
   * before it got to run.
   */
  InvocationResult failed(FunctionSpec function, String vmId, StartCost cost, FailureKind kind, String detail,
                          String stderrTail, long execNanos, long now, HostUsage usage) {
    boolean ran = sentAt > 0;
    long acquired = ran ? acquiredAt : now;
    Running record = new Running(job, startKind, acquired, sentAt);
    return new InvocationResult.Failed(job.invocation().id(), function.name(), kind, detail, stderrTail, startKind,
        vmId, record.timing(cost, ran ? now - sentAt : 0, execNanos),
        record.trace(cost, acquired, ran ? now : 0, execNanos, 0, ran ? usage : HostUsage.NONE));
  }

  private InvocationTrace trace(StartCost cost, long acquired, long resultAt, long execNanos, int outputBytes,
                                HostUsage usage) {
    var invocation = job.invocation();
    boolean cold = startKind == StartKind.COLD;
    boolean restored = startKind == StartKind.RESTORE;
    boolean ran = resultAt > 0;
    return new InvocationTrace(invocation.receivedEpochMillis(), invocation.receivedNanos(), invocation.enqueuedNanos(),
        invocation.dequeuedNanos(), invocation.assignedNanos(), invocation.slotNanos(), ran ? acquired : 0,
        ran ? sentAt : 0, resultAt, 0, cold ? cost.bootNanos() : 0, restored ? cost.restoreNanos() : 0,
        cold ? cost.initNanos() : 0, cold ? cost.snapshotNanos() : 0, execNanos,
        restored ? cost.restoredFrom().id() : null, restored ? cost.restoredFrom().tier() : null,
        invocation.payload().length, outputBytes, usage);
  }

  private Timing timing(StartCost cost, long runNanos, long execNanos) {
    var invocation = job.invocation();
    boolean cold = startKind == StartKind.COLD;
    boolean restored = startKind == StartKind.RESTORE;
    return new Timing(invocation.dequeuedNanos() - invocation.receivedNanos(), acquiredAt - invocation.dequeuedNanos(),
        cold ? cost.bootNanos() : 0, restored ? cost.restoreNanos() : 0, cold ? cost.initNanos() : 0, runNanos,
        execNanos, 0);
  }
}
