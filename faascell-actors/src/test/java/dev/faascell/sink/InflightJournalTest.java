package dev.faascell.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InflightJournalTest {
  @TempDir
  Path dir;

  @Test
  void whatWasAdmittedAndNeverEndedIsReportedOnceAtTheNextStart() throws Exception {
    Path file = dir.resolve("inflight.journal");
    InflightJournal first = InflightJournal.open(file).journal();
    first.started("a", "fn", 1000);
    first.started("b", "fn", 2000);
    first.ended("a");
    // the process dies here: nothing is closed
    Files.writeString(file, "S torn-li", java.nio.file.StandardOpenOption.APPEND);

    var recovered = InflightJournal.open(file);
    assertThat(recovered.lost()).extracting(InflightJournal.Open::invocationId).containsExactly("b");
    assertThat(recovered.lost().get(0).receivedEpochMillis()).isEqualTo(2000);
    recovered.journal().close();
    assertThat(InflightJournal.open(file).lost()).as("reported once, then forgotten").isEmpty();
  }

  @Test
  void compactionKeepsOnlyTheOpenInvocations() throws Exception {
    Path file = dir.resolve("inflight.journal");
    InflightJournal journal = InflightJournal.open(file).journal();
    journal.started("keep", "fn", 1);
    for (int i = 0; i < 60_000; i++) {
      journal.started("i" + i, "function-with-a-long-name", 1_795_000_000_000L);
      journal.ended("i" + i);
    }
    assertThat(Files.size(file)).isLessThan(4 << 20);
    assertThat(InflightJournal.open(file).lost()).extracting(InflightJournal.Open::invocationId).containsExactly("keep");
  }
}
