package io.syncnode.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The samples of a scrape in the Prometheus text format (0.0.4): {@code name{label="value",...} value}
 * per line, '#' lines skipped. A line that is not a sample fails the parse.
 */
public final class PrometheusText {
  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {
    /** Whether every label of {@code wanted} has that value here (other labels may be present). */
    public boolean has(Map<String, String> wanted) {
      return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
  }

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = samples;
  }

  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        samples.add(sample(line));
      }
    }
    return new PrometheusText(samples);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The samples of {@code name} whose labels include {@code labels}. */
  public List<Sample> all(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name) && s.has(labels)).toList();
  }

  /** The one sample of {@code name} with exactly {@code labels}, if present. */
  public Optional<Double> value(String name, Map<String, String> labels) {
    List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).toList();
    if (found.size() > 1) {
      throw new AssertionError("more than one sample " + name + labels + ": " + found);
    }
    return found.stream().findFirst().map(Sample::value);
  }

  private static Sample sample(String line) {
    int at = 0;
    while (at < line.length() && line.charAt(at) != '{' && line.charAt(at) != ' ') {
      at++;
    }
    String name = line.substring(0, at);
    if (name.isEmpty() || !name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new AssertionError("not a sample line: " + line);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (at < line.length() && line.charAt(at) == '{') {
      at++;
      while (line.charAt(at) != '}') {
        int eq = line.indexOf('=', at);
        String label = line.substring(at, eq);
        if (line.charAt(eq + 1) != '"') {
          throw new AssertionError("unquoted value of label " + label + ": " + line);
        }
        StringBuilder value = new StringBuilder();
        at = eq + 2;
        while (line.charAt(at) != '"') {
          char c = line.charAt(at++);
          if (c == '\\') {
            char escaped = line.charAt(at++);
            value.append(escaped == 'n' ? '\n' : escaped);
          } else {
            value.append(c);
          }
        }
        labels.put(label, value.toString());
        at++;
        if (line.charAt(at) == ',') {
          at++;
        }
      }
      at++;
    }
    String[] rest = line.substring(at).trim().split(" ");
    return new Sample(name, labels, value(rest[0], line));
  }

  private static double value(String text, String line) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new AssertionError("not a sample value '" + text + "': " + line);
        }
      }
    };
  }
}
