package io.weft.controller.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.model.DatapathType;
import io.weft.model.Encapsulation;
import io.weft.model.Endpoint;
import io.weft.model.EndpointId;
import io.weft.model.Host;
import io.weft.model.Ipv4Address;
import io.weft.model.Ipv4Cidr;
import io.weft.model.MacAddress;
import io.weft.model.Network;
import io.weft.model.Subnet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one place where intent records become bytes and back. Records are stored as JSON documents with plain strings
 * (dotted quads, CIDRs, colon MACs, lower-case enum names), so a store file or an etcd value reads like the REST API
 * and survives refactoring of the model's Java types.
 */
public final class Codec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Codec() {
    }

    /** {@code index} is absent in hosts stored before Weft numbered them. */
    record HostDoc(String name, String tunnelIp, String datapathType, String ovsdb, String openflow, Integer index) {
    }

    record SubnetDoc(String cidr, String gateway) {
    }

    record NetworkDoc(String name, int vni, String encap, int mtu, List<SubnetDoc> subnets) {
    }

    /**
     * {@code aliases} and {@code hostname} are left out when empty, so that endpoints without them are stored as
     * before them (same bytes, same checksums), and records stored before them read as endpoints without them.
     */
    record EndpointDoc(String network, String name, String host, String port, String mac, String ip,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> aliases,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String hostname) {
    }

    public static String encode(Host h) {
        return write(new HostDoc(h.name(), h.tunnelIp().toString(), h.datapathType().ovsValue(),
                h.ovsdbTarget().orElse(null), h.openflowTarget().orElse(null),
                h.index().isPresent() ? h.index().getAsInt() : null));
    }

    public static String encode(Network n) {
        return write(new NetworkDoc(n.name(), n.vni(), n.encapsulation().ovsType(), n.mtu(),
                n.subnets().stream().map(s -> new SubnetDoc(s.cidr().toString(), s.gateway().toString())).toList()));
    }

    public static String encode(Endpoint e) {
        return write(new EndpointDoc(e.network(), e.id().name(), e.host(), e.port(), e.mac().toString(),
                e.ip().toString(), e.aliases(), e.hostname().orElse(null)));
    }

    public static Host decodeHost(String json) {
        HostDoc d = read(json, HostDoc.class);
        return new Host(d.name(), Ipv4Address.parse(d.tunnelIp()), DatapathType.parse(d.datapathType()),
                Optional.ofNullable(d.ovsdb()), Optional.ofNullable(d.openflow()),
                d.index() == null ? OptionalInt.empty() : OptionalInt.of(d.index()));
    }

    public static Network decodeNetwork(String json) {
        NetworkDoc d = read(json, NetworkDoc.class);
        return new Network(d.name(), d.vni(), Encapsulation.parse(d.encap()), d.mtu(),
                d.subnets().stream().map(s -> new Subnet(Ipv4Cidr.parse(s.cidr()), Ipv4Address.parse(s.gateway())))
                        .toList());
    }

    public static Endpoint decodeEndpoint(String json) {
        EndpointDoc d = read(json, EndpointDoc.class);
        return new Endpoint(new EndpointId(d.network(), d.name()), d.host(), d.port(), MacAddress.parse(d.mac()),
                Ipv4Address.parse(d.ip()), d.aliases(), Optional.ofNullable(d.hostname()));
    }

    /** The store key of an endpoint: network and name, which {@link io.weft.model.Names} keep free of '/'. */
    public static String key(EndpointId id) {
        return id.network() + "/" + id.name();
    }

    private static String write(Object doc) {
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + doc, e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt store record " + json, e);
        }
    }
}
