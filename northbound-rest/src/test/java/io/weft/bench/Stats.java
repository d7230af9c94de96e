package io.weft.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Percentiles of a list of milliseconds (nearest-rank). */
record Stats(int count, double p50, double p90, double p99, double max, double mean) {

    static Stats of(List<Double> millis) {
        if (millis.isEmpty()) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] v = millis.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return new Stats(v.length, rank(v, 0.50), rank(v, 0.90), rank(v, 0.99), v[v.length - 1],
                Arrays.stream(v).average().orElse(Double.NaN));
    }

    private static double rank(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    String row(String what) {
        return String.format(Locale.ROOT, "| %-44s | %6d | %8.2f | %8.2f | %8.2f | %8.2f | %8.2f |", what, count, p50,
                p90, p99, max, mean);
    }

    static String header() {
        return "| what (ms)                                    |      n |      p50 |      p90 |      p99 |      max |"
                + "     mean |\n|---|---|---|---|---|---|---|";
    }
}
