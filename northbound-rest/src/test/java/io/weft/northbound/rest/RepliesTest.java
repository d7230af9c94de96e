package io.weft.northbound.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepliesTest {

    /** The tree a waited reply is built on: the entity, then its revision. */
    private static String asTree(Object entity, long revision) {
        ObjectNode body = Json.MAPPER.valueToTree(entity);
        body.put("revision", revision);
        return Json.write(body);
    }

    @Test
    void aReplyWrittenInOnePassReadsAsTheEntitysTreeWithItsRevision() {
        List<Object> entities = List.of(
                new Views.EndpointView("c1", "red", "h1", "veth-c1", "10.0.0.2", "02:00:0a:00:00:02", "10.0.0.1",
                        1450, 24, "waiting-for-port", null, List.of(), null),
                new Views.EndpointView("c2", "red", "h2", "veth-c2", "10.0.0.3", "02:00:0a:00:00:03", "10.0.0.1",
                        1450, 24, "bound", 40001, List.of("db", "db.red"), "db"),
                new Views.HostView("h1", "192.168.1.1", null, "netdev", "punix:/run/x.sock",
                        new Views.StatusView(true, false, null, List.of("t-h2"), null, 3, 0, false, "flows: \"x\"",
                                7, new Views.DriftView("2026-11-29T00:00:00Z", "1 missing"), 1, 12)),
                new Views.NetworkView("red", 7, "vxlan", 1450,
                        List.of(new Views.SubnetView("10.0.0.0/24", "10.0.0.1")), 2));
        for (Object entity : entities) {
            assertThat(Json.write(new Replies.AtRevision(entity, 42))).isEqualTo(asTree(entity, 42));
        }
    }
}
