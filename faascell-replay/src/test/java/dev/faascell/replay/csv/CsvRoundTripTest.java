package dev.faascell.replay.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRoundTripTest {
  @TempDir
  Path dir;

  @Test
  void fieldsWithCommasAndQuotesSurviveAndLineBreaksBecomeSpaces() {
    Path file = dir.resolve("t.csv");
    try (CsvWriter writer = CsvWriter.create(file)) {
      writer.row(List.of("a", "b,c", "say \"hi\"", "two\nlines", ""));
    }
    try (CsvReader reader = CsvReader.open(file)) {
      assertThat(reader.next()).containsExactly("a", "b,c", "say \"hi\"", "two lines", "");
      assertThat(reader.lineNumber()).isEqualTo(1);
      assertThat(reader.next()).isNull();
    }
  }

  @Test
  void blankLinesAndAByteOrderMarkAreSkipped() throws Exception {
    Path file = dir.resolve("t.csv");
    Files.writeString(file, "\uFEFFx,y\n\n1,2\r\n");
    try (CsvReader reader = CsvReader.open(file)) {
      assertThat(reader.header(List.of("x", "y"))).containsExactly("x", "y");
      assertThat(reader.next()).containsExactly("1", "2");
      assertThat(reader.lineNumber()).isEqualTo(3);
    }
  }

  @Test
  void anUnclosedQuoteIsNamed() throws Exception {
    Path file = dir.resolve("t.csv");
    Files.writeString(file, "x,y\n1,\"2\n");
    try (CsvReader reader = CsvReader.open(file)) {
      reader.next();
      assertThatThrownBy(reader::next).isInstanceOf(CsvFormatException.class)
          .hasMessage("t.csv line 2, column 2 (field 2): a quoted field is not closed before the end of the line");
    }
  }
}
