package io.weft.northbound.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scrape of {@code GET /metrics} parsed as Prometheus's text format 0.0.4 reads it: one sample a line, {@code name},
 * optional {@code {label="value",...}} (values escaped with {@code \\}, {@code \"}, {@code \n}), a value, an optional
 * timestamp; {@code #} lines are comments (HELP, TYPE). A malformed line fails the parse.
 */
public record PrometheusText(List<Sample> samples) {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        return new PrometheusText(List.copyOf(samples));
    }

    /** The samples named {@code name} whose labels include {@code labels} (name, value, name, value...). */
    public List<Sample> find(String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name) && hasLabels(s, labels)).toList();
    }

    /** The value of the one sample named {@code name} with {@code labels}, if there is one. */
    public Optional<Double> value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() > 1) {
            throw new AssertionError("more than one sample " + name + " with " + List.of(labels) + ": " + found);
        }
        return found.stream().findFirst().map(Sample::value);
    }

    /** The value of the one sample, or 0 when there is none (a counter not incremented yet has no series). */
    public double valueOrZero(String name, String... labels) {
        return value(name, labels).orElse(0.0);
    }

    private static boolean hasLabels(Sample s, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("not a metric name in: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf("=\"", i);
                if (eq < 0) {
                    throw new IllegalArgumentException("a label without =\" in: " + line);
                }
                String label = line.substring(i, eq);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (char c = line.charAt(j); c != '"'; c = line.charAt(++j)) {
                    if (c == '\\') {
                        char escaped = line.charAt(++j);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).strip().split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw new IllegalArgumentException("not a value (and timestamp) in: " + line);
        }
        return new Sample(name, Map.copyOf(labels), Double.parseDouble(rest[0].replace("Inf", "Infinity")));
    }
}
