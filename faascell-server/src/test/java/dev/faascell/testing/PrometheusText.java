package dev.faascell.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (0.0.4): every line is a HELP, a TYPE, a
 * comment or a sample with well-formed labels and a number; every sample belongs to a family whose
 * TYPE came first. Anything else throws, naming the line.
 */
public final class PrometheusText {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+-?\\d+)?");
  private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"\\s*(,|$)");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
  private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_created", "_max");

  private PrometheusText() {
  }

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  public static List<Sample> parse(String text) {
    Map<String, String> types = new HashMap<>();
    List<Sample> samples = new ArrayList<>();
    int number = 0;
    for (String line : text.split("\n", -1)) {
      number++;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ");
        if (parts.length != 2 || !NAME.matcher(parts[0]).matches() || !TYPES.contains(parts[1])) {
          throw new IllegalArgumentException("line " + number + ": bad TYPE: " + line);
        }
        types.put(parts[0], parts[1]);
      } else if (line.startsWith("# HELP ")) {
        if (!NAME.matcher(line.substring(7).split(" ", 2)[0]).matches()) {
          throw new IllegalArgumentException("line " + number + ": bad HELP: " + line);
        }
      } else if (!line.startsWith("#")) {
        samples.add(sample(line, number, types));
      }
    }
    return samples;
  }

  private static Sample sample(String line, int number, Map<String, String> types) {
    Matcher m = SAMPLE.matcher(line);
    if (!m.matches()) {
      throw new IllegalArgumentException("line " + number + ": not a sample: " + line);
    }
    String name = m.group(1);
    if (family(name, types) == null) {
      throw new IllegalArgumentException("line " + number + ": sample of " + name + " without a TYPE before it");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (m.group(3) != null && !m.group(3).isEmpty()) {
      Matcher label = LABEL.matcher(m.group(3));
      int end = 0;
      while (end < m.group(3).length()) {
        if (!label.find(end) || label.start() != end) {
          throw new IllegalArgumentException("line " + number + ": bad labels: " + m.group(3));
        }
        labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
        end = label.end();
      }
    }
    String value = m.group(4);
    double parsed = switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
    return new Sample(name, labels, parsed);
  }

  private static String family(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : SUFFIXES) {
      if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return null;
  }
}
