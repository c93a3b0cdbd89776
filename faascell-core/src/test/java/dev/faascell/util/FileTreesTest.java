package dev.faascell.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir
  Path tier;

  @Test
  void deleteRemovesTheTreeAndLeavesNothingBesideIt() throws Exception {
    Path snapshot = Files.createDirectories(tier.resolve("fn-1"));
    Files.writeString(snapshot.resolve("state.vmstate"), "state");
    Files.writeString(snapshot.resolve("memory.ram"), "ram");
    FileTrees.delete(snapshot);
    assertThat(tier).isEmptyDirectory();
  }

  @Test
  void deletingWhatIsGoneIsNothing() throws Exception {
    FileTrees.delete(tier.resolve("never-was"));
    assertThat(tier).isEmptyDirectory();
  }

  @Test
  void copyAndMoveCarryEveryFile() throws Exception {
    Path from = Files.createDirectories(tier.resolve("a"));
    Files.writeString(from.resolve("state.vmstate"), "state");
    FileTrees.copy(from, tier.resolve("b"));
    FileTrees.move(from, tier.resolve("c/d"));
    assertThat(tier.resolve("b/state.vmstate")).hasContent("state");
    assertThat(tier.resolve("c/d/state.vmstate")).hasContent("state");
    assertThat(from).doesNotExist();
  }
}
