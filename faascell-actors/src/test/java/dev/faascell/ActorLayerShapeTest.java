package dev.faascell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The actor layer stays a house one can live in: no file grows past 500 lines, and its packages form a
 * one-way graph along the invocation's path (counted from the source: imports and qualified names).
 */
class ActorLayerShapeTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/faascell");
  private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.faascell\\.([a-z]+)\\.");
  private static final int MAX_LINES = 500;

  @Test
  void noFileIsLongerThanFiveHundredLines() throws IOException {
    Map<Path, Long> tooLong = new TreeMap<>();
    for (Path file : javaFiles()) {
      long lines;
      try (Stream<String> all = Files.lines(file)) {
        lines = all.count();
      }
      if (lines > MAX_LINES) {
        tooLong.put(SOURCES.relativize(file), lines);
      }
    }
    assertThat(tooLong).as("files over %d lines", MAX_LINES).isEmpty();
  }

  @Test
  void thePackagesDependOnEachOtherOneWayOnly() throws IOException {
    Map<String, Set<String>> uses = packageGraph();
    assertThat(uses).as("the actor packages were found").containsKeys("dispatcher", "vmpool", "worker", "sink");
    assertThat(uses.get("dispatcher")).contains("vmpool");
    assertThat(uses.get("vmpool")).contains("worker");
    assertThat(cycle(uses)).as("a cycle between actor packages").isEmpty();
  }

  /** Which of this module's packages each of its packages refers to. */
  private static Map<String, Set<String>> packageGraph() throws IOException {
    Set<String> ours = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(SOURCES)) {
      dirs.filter(Files::isDirectory).forEach(dir -> ours.add(dir.getFileName().toString()));
    }
    Map<String, Set<String>> uses = new TreeMap<>();
    for (Path file : javaFiles()) {
      String from = SOURCES.relativize(file).getName(0).toString();
      Set<String> targets = uses.computeIfAbsent(from, p -> new TreeSet<>());
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("package ")) {
          continue;
        }
        Matcher m = REFERENCE.matcher(line);
        while (m.find()) {
          String to = m.group(1);
          if (ours.contains(to) && !to.equals(from)) {
            targets.add(to);
          }
        }
      }
    }
    return uses;
  }

  /** A cycle in the graph as the packages along it, or empty if there is none. */
  private static List<String> cycle(Map<String, Set<String>> uses) {
    Map<String, Integer> state = new TreeMap<>();   // 1: on the current path, 2: done
    for (String start : uses.keySet()) {
      List<String> path = new ArrayList<>();
      if (visit(start, uses, state, path)) {
        return path;
      }
    }
    return List.of();
  }

  private static boolean visit(String node, Map<String, Set<String>> uses, Map<String, Integer> state,
                               List<String> path) {
    Integer seen = state.get(node);
    if (seen != null) {
      if (seen == 1) {
        path.add(node);
        return true;
      }
      return false;
    }
    state.put(node, 1);
    path.add(node);
    for (String next : uses.getOrDefault(node, Set.of())) {
      if (visit(next, uses, state, path)) {
        return true;
      }
    }
    path.remove(path.size() - 1);
    state.put(node, 2);
    return false;
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> all = Files.walk(SOURCES)) {
      return all.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }
}
