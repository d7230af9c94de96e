package io.weft.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.Test;

/** The registry scrapes in Prometheus's text format, with the JVM's and the process's meters bound. */
class ControllerMetricsTest {

    @Test
    void scrapes_prometheus_text_with_the_jvm_and_process_meters() {
        try (ControllerMetrics metrics = new ControllerMetrics()) {
            Counter.builder("weft.test.things").tag("host", "h1").register(metrics.registry()).increment(3);
            String text = metrics.scrape();
            assertThat(text).contains("# TYPE weft_test_things_total counter",
                    "weft_test_things_total{host=\"h1\"} 3.0");
            assertThat(text).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads ", "process_cpu_usage ",
                    "jvm_gc_");
        }
    }

    @Test
    void a_removed_meter_leaves_the_scrape() {
        try (ControllerMetrics metrics = new ControllerMetrics()) {
            Gauge gauge = Gauge.builder("weft.test.level", () -> 1).tag("host", "h2").register(metrics.registry());
            assertThat(metrics.scrape()).contains("weft_test_level{host=\"h2\"} 1.0");
            metrics.registry().remove(gauge);
            assertThat(metrics.scrape()).doesNotContain("weft_test_level");
        }
    }
}
