package io.weft.controller.trace;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A packet walked through the flows the switches on its path hold, in the user's terms.
 *
 * @param reason      one sentence: where it was delivered, or where and why it was dropped
 * @param steps       every table visited, host by host, in order
 * @param differences per host on the path whose switch does not hold exactly what Weft wants: what differs
 */
public record PacketTrace(String network, String from, String to, String proto, Verdict verdict, String reason,
                          Optional<Delivered> deliveredTo, List<Step> steps, List<Difference> differences) {

    public PacketTrace {
        steps = List.copyOf(steps);
        differences = List.copyOf(differences);
    }

    public enum Verdict { DELIVERED, DROPPED }

    /** Where the packet left the fabric: an endpoint's port on its host. */
    public record Delivered(String host, String endpoint, String port) {
    }

    /**
     * One table visited on one host: the flow that matched (absent: the table holds no flow that matches), whose it
     * is, and what it did.
     *
     * @param network  the network the packet belongs to after this step (by the VNI in metadata), when known
     * @param endpoint the endpoint whose flow this is ({@code c1}), for an endpoint's flow
     * @param vni      the VNI the packet carries on the wire, when this step sends it into a tunnel
     */
    public record Step(String host, int table, String tableName, OptionalInt priority, String match, String actions,
                       Optional<String> cookie, Optional<String> network, Optional<String> endpoint,
                       String explanation, OptionalInt vni) {
    }

    /** Flows Weft wants on a host that its switch lacks, and flows the switch holds that Weft does not want. */
    public record Difference(String host, List<String> missing, List<String> unexpected) {
        public Difference {
            missing = List.copyOf(missing);
            unexpected = List.copyOf(unexpected);
        }
    }
}
