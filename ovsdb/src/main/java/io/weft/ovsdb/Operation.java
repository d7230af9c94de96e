package io.weft.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One RFC 7047 {@code transact} operation (section 5.2). Row values are already OVSDB-encoded
 * ({@link OvsdbCodec}); columns are kept sorted so equal operations serialise identically.
 */
public sealed interface Operation {

    ObjectNode toJson();

    record Insert(String table, Map<String, JsonNode> row, Optional<String> uuidName) implements Operation {
        public Insert {
            row = sorted(row);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode op = op("insert", table).set("row", rowJson(row));
            uuidName.ifPresent(n -> op.put("uuid-name", n));
            return op;
        }
    }

    record Update(String table, List<Condition> where, Map<String, JsonNode> row) implements Operation {
        public Update {
            where = List.copyOf(where);
            row = sorted(row);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode op = op("update", table);
            op.set("where", Condition.toJson(where));
            op.set("row", rowJson(row));
            return op;
        }
    }

    record Mutate(String table, List<Condition> where, List<Mutation> mutations) implements Operation {
        public Mutate {
            where = List.copyOf(where);
            mutations = List.copyOf(mutations);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode op = op("mutate", table);
            op.set("where", Condition.toJson(where));
            ArrayNode ms = op.putArray("mutations");
            mutations.forEach(m -> ms.add(JsonNodeFactory.instance.arrayNode()
                    .add(m.column()).add(m.mutator()).add(m.value())));
            return op;
        }
    }

    record Delete(String table, List<Condition> where) implements Operation {
        public Delete {
            where = List.copyOf(where);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode op = op("delete", table);
            op.set("where", Condition.toJson(where));
            return op;
        }
    }

    record Select(String table, List<Condition> where, List<String> columns) implements Operation {
        public Select {
            where = List.copyOf(where);
            columns = List.copyOf(columns);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode op = op("select", table);
            op.set("where", Condition.toJson(where));
            ArrayNode cs = op.putArray("columns");
            columns.forEach(cs::add);
            return op;
        }
    }

    /** Optimistic concurrency: the transaction aborts ("timed out") unless the columns still hold these rows. */
    record Wait(String table, List<Condition> where, List<String> columns, String until,
                List<Map<String, JsonNode>> rows, long timeoutMs) implements Operation {
        public Wait {
            where = List.copyOf(where);
            columns = List.copyOf(columns);
            rows = rows.stream().map(Operation::sorted).toList();
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode op = op("wait", table);
            op.put("timeout", timeoutMs);
            op.set("where", Condition.toJson(where));
            ArrayNode cs = op.putArray("columns");
            columns.forEach(cs::add);
            op.put("until", until);
            ArrayNode rs = op.putArray("rows");
            rows.forEach(r -> rs.add(rowJson(r)));
            return op;
        }
    }

    record Comment(String comment) implements Operation {
        @Override
        public ObjectNode toJson() {
            ObjectNode op = JsonNodeFactory.instance.objectNode();
            op.put("op", "comment");
            op.put("comment", comment);
            return op;
        }
    }

    /** {@code [column, function, value]}. */
    record Condition(String column, String function, JsonNode value) {
        public static Condition uuidIs(String uuid) {
            return new Condition("_uuid", "==", OvsdbCodec.uuid(uuid));
        }

        static ArrayNode toJson(List<Condition> where) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            where.forEach(c -> a.add(JsonNodeFactory.instance.arrayNode().add(c.column).add(c.function).add(c.value)));
            return a;
        }
    }

    /** {@code [column, mutator, value]}: mutators {@code += -= insert delete}. */
    record Mutation(String column, String mutator, JsonNode value) {
    }

    private static ObjectNode op(String name, String table) {
        ObjectNode op = JsonNodeFactory.instance.objectNode();
        op.put("op", name);
        op.put("table", table);
        return op;
    }

    private static ObjectNode rowJson(Map<String, JsonNode> row) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        row.forEach(o::set);
        return o;
    }

    private static Map<String, JsonNode> sorted(Map<String, JsonNode> row) {
        return Collections.unmodifiableMap(new TreeMap<>(row));
    }
}
