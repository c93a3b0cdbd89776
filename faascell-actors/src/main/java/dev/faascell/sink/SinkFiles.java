package dev.faascell.sink;

import dev.faascell.blockingio.BlockingIo;
import dev.faascell.model.InvocationResult;
import java.util.concurrent.Executor;

/**
 * The Sink's files — the in-flight journal and the trace log — written off the Sink's thread, one
 * write at a time in the order the Sink asked for them: an invocation's end never reaches the journal
 * before its start, and trace lines keep their order. The journal and the log are only ever touched
 * from the lane.
 */
final class SinkFiles {
  private final Executor lane;
  private final InflightJournal journal;
  /** Null: traces are not written to a file. */
  private final TraceLog traceLog;

  /** @param lane runs one task at a time, in order */
  SinkFiles(Executor lane, InflightJournal journal, TraceLog traceLog) {
    this.lane = lane;
    this.journal = journal;
    this.traceLog = traceLog;
  }

  void started(String invocationId, String function, long receivedEpochMillis) {
    lane.execute(() -> journal.started(invocationId, function, receivedEpochMillis));
  }

  void ended(String invocationId) {
    lane.execute(() -> journal.ended(invocationId));
  }

  /** The result's trace line, serialized on the lane too. */
  void trace(InvocationResult result) {
    if (traceLog != null) {
      lane.execute(() -> traceLog.append(TraceJson.of(result)));
    }
  }

  /** Hands buffered trace lines to the OS. */
  void flush() {
    if (traceLog != null) {
      lane.execute(traceLog::flush);
    }
  }

  /** Closes both files once every write asked for before is done, and waits for that (the Sink is stopping). */
  void close() {
    lane.execute(() -> {
      if (traceLog != null) {
        traceLog.close();
      }
      journal.close();
    });
    BlockingIo.drain(lane);
  }
}
