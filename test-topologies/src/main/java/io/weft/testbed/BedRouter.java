package io.weft.testbed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** A router of a running bed: a namespace with ip_forward; one interface per segment it joins. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BedRouter(String name, long pid, List<Interface> interfaces) {

    public BedRouter {
        interfaces = List.copyOf(interfaces);
    }

    /** {@code ip} is {@code a.b.c.d/prefix}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Interface(String name, String segment, String ip) { }

    public ExecResult exec(String... argv) {
        return NamespaceExec.run(pid, java.util.Map.of(), NamespaceExec.DEFAULT_TIMEOUT, argv);
    }
}
