package dev.faascell.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faascell.invocation.Job;
import dev.faascell.model.FailureKind;
import dev.faascell.model.Invocation;
import dev.faascell.model.InvocationResult;
import dev.faascell.testing.ActorNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Sink writes its journal off its thread: no line may be lost or come out of order, even at a stop. */
class SinkJournalTest {
  @TempDir
  Path dir;

  @Test
  void underManyConcurrentCompletionsEveryEndFollowsItsStartAndWhatNeverEndedIsLost() throws Exception {
    ActorTestKit kit = ActorTestKit.create();
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      Path file = dir.resolve("inflight.journal");
      ActorRef<Sink.Command> sink = kit.spawn(Sink.create(new SimpleMeterRegistry(), System::nanoTime,
          new Sink.TraceSettings(false, null, 0, 0, 0), InflightJournal.open(file)));
      TestProbe<InvocationResult> replies = kit.createTestProbe();
      int threads = 8;
      int each = 500;
      Set<String> neverEnded = ConcurrentHashMap.newKeySet();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        senders.execute(() -> {
          for (int i = 0; i < each; i++) {
            String id = "inv-" + thread + "-" + i;
            Invocation invocation = Invocation.received(id, ActorNode.function("echo", "echo"), new byte[0],
                System.nanoTime());
            sink.tell(new Sink.Started(id, invocation.functionName(), System.currentTimeMillis()));
            if (i % 10 == 9) {
              neverEnded.add(id);   // the node dies with these in flight
            } else {
              sink.tell(new Sink.Deliver(new Job(invocation, replies.getRef()),
                  InvocationResult.Failed.early(invocation, FailureKind.FUNCTION_ERROR, "done", System.nanoTime())));
            }
          }
        });
      }
      int ended = threads * each - threads * each / 10;
      replies.receiveSeveralMessages(ended, Duration.ofSeconds(20));
      senders.shutdown();
      assertThat(senders.awaitTermination(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      // every sender's messages are in the mailbox now; once one more invocation has ended, the Sink has
      // handled them all (a stop does not wait for what is still in the mailbox, only for the writes)
      Invocation barrier = Invocation.received("inv-barrier", ActorNode.function("echo", "echo"), new byte[0],
          System.nanoTime());
      sink.tell(new Sink.Started(barrier.id(), barrier.functionName(), System.currentTimeMillis()));
      sink.tell(new Sink.Deliver(new Job(barrier, replies.getRef()),
          InvocationResult.Failed.early(barrier, FailureKind.FUNCTION_ERROR, "done", System.nanoTime())));
      replies.receiveMessage(Duration.ofSeconds(20));
      kit.stop(sink);   // a graceful stop: the Sink has written everything when it is gone
      List<String> journal = Files.readAllLines(file);
      assertThat(journal).hasSize(threads * each + ended + 2);

      Map<String, Integer> startedAt = new HashMap<>();
      Set<String> endedIds = new HashSet<>();
      for (int n = 0; n < journal.size(); n++) {
        String[] fields = journal.get(n).split(" ");
        if (fields[0].equals("S")) {
          assertThat(startedAt.put(fields[1], n)).as("started once: " + fields[1]).isNull();
        } else {
          assertThat(startedAt).as("its start comes first: " + fields[1]).containsKey(fields[1]);
          assertThat(endedIds.add(fields[1])).as("ended once: " + fields[1]).isTrue();
        }
      }
      assertThat(InflightJournal.open(file).lost()).extracting(InflightJournal.Open::invocationId)
          .containsExactlyInAnyOrderElementsOf(neverEnded);
    } finally {
      senders.shutdownNow();
      kit.shutdownTestKit();
    }
  }
}
