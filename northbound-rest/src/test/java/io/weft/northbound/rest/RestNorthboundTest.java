package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.controller.Northbound;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class RestNorthboundTest {

    @Test
    void the_controller_finds_the_rest_api_on_the_class_path() {
        assertThat(ServiceLoader.load(Northbound.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(RestNorthbound.class);
    }

    @Test
    void listen_addresses_parse() {
        RestConfig c = RestConfig.parse("127.0.0.1:8080");
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(RestConfig.parse("0.0.0.0:0").port()).isZero();
    }
}
