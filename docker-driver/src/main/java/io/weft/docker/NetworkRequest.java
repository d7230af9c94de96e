package io.weft.docker;

import io.weft.model.Encapsulation;
import io.weft.model.Ipv4Address;
import io.weft.model.Ipv4Cidr;
import io.weft.model.Network;
import io.weft.model.Subnet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@code docker network create -d weft} asks of Weft: the subnets and gateways Docker got from this IPAM, and
 * the driver's {@code -o} options. A network the agent itself mirrors from Weft into Docker carries
 * {@code -o weft.network=NAME}: it exists in Weft already, and only that option is allowed with it.
 *
 * @param mirrorOf the Weft network a mirrored Docker network stands for
 * @param vni      absent: Weft allocates one
 * @param mtu      absent: Weft's default for the encapsulation
 */
public record NetworkRequest(Optional<String> mirrorOf, Encapsulation encap, Optional<Integer> vni,
                             Optional<Integer> mtu, List<Subnet> subnets) {

    public static final String MIRROR_OPTION = "weft.network";
    static final String HELP = "the weft driver takes -o encap=vxlan|gre, -o vni=1.." + Network.MAX_VNI
            + ", -o mtu=" + Network.MIN_MTU + ".." + Network.MAX_MTU;

    /** From CreateNetwork's request; refuses options and pools Weft cannot take, in Weft's words where it has them. */
    public static NetworkRequest of(PluginApi.CreateNetwork request) {
        Map<String, String> options = genericOptions(request.options());
        String mirror = options.remove(MIRROR_OPTION);
        if (mirror != null) {
            if (!options.isEmpty()) {
                throw new PluginException("-o " + MIRROR_OPTION + " is for networks the Weft agent mirrors from Weft; "
                        + "it takes no other option (" + String.join(", ", options.keySet()) + ")");
            }
            return new NetworkRequest(Optional.of(mirror), Encapsulation.VXLAN, Optional.empty(), Optional.empty(),
                    subnets(request));
        }
        Encapsulation encap = Encapsulation.VXLAN;
        Optional<Integer> vni = Optional.empty();
        Optional<Integer> mtu = Optional.empty();
        for (Map.Entry<String, String> o : options.entrySet()) {
            switch (o.getKey()) {
                case "encap" -> encap = parse(() -> Encapsulation.parse(o.getValue()));
                case "vni" -> vni = Optional.of(integer("vni", o.getValue(), 1, Network.MAX_VNI,
                        ": pick a 24-bit value or leave it out to have one allocated"));
                case "mtu" -> mtu = Optional.of(integer("mtu", o.getValue(), Network.MIN_MTU, Network.MAX_MTU, ""));
                default -> throw new PluginException("unknown option -o " + o.getKey() + ": " + HELP);
            }
        }
        return new NetworkRequest(Optional.empty(), encap, vni, mtu, subnets(request));
    }

    /** The body of {@code POST /api/v1/networks}. */
    public Map<String, Object> body(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("encap", encap.ovsType());
        body.put("subnets", subnets.stream()
                .map(s -> Map.of("cidr", s.cidr().toString(), "gateway", s.gateway().toString())).toList());
        vni.ifPresent(v -> body.put("vni", v));
        mtu.ifPresent(m -> body.put("mtu", m));
        return body;
    }

    private static List<Subnet> subnets(PluginApi.CreateNetwork request) {
        if (request.ipv6Data() != null && !request.ipv6Data().isEmpty()) {
            throw new PluginException("Weft networks are IPv4 only: leave out --ipv6");
        }
        if (request.ipv4Data() == null || request.ipv4Data().isEmpty()) {
            throw new PluginException("no IPv4 subnet: give --subnet");
        }
        List<Subnet> subnets = new ArrayList<>();
        for (PluginApi.IpamData d : request.ipv4Data()) {
            if (!PluginApi.ADDRESS_SPACE.equals(d.addressSpace())) {
                throw new PluginException("the weft driver needs Weft's addresses, which are unique across hosts: "
                        + "create the network with --ipam-driver weft");
            }
            Ipv4Cidr cidr = parse(() -> Ipv4Cidr.parse(d.pool()));
            String gateway = d.gateway() == null ? null : d.gateway().replaceFirst("/.*", "");
            if (gateway == null || gateway.isEmpty()) {
                throw new PluginException("subnet " + cidr + " has no gateway");
            }
            subnets.add(parse(() -> new Subnet(cidr, Ipv4Address.parse(gateway))));
        }
        return subnets;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> genericOptions(Map<String, Object> options) {
        Map<String, String> out = new LinkedHashMap<>();
        Object generic = options == null ? null : options.get(PluginApi.GENERIC_OPTIONS);
        if (generic instanceof Map<?, ?> map) {
            ((Map<Object, Object>) map).forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }

    private static int integer(String key, String text, int min, int max, String advice) {
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new PluginException(key + " '" + text + "' is not a number: " + HELP);
        }
        if (value < min || value > max) {
            throw new PluginException(key + " " + value + " is outside " + min + ".." + max + advice);
        }
        return value;
    }

    private static <T> T parse(java.util.function.Supplier<T> weftCheck) {
        try {
            return weftCheck.get();
        } catch (IllegalArgumentException e) {
            throw new PluginException(e.getMessage());
        }
    }
}
