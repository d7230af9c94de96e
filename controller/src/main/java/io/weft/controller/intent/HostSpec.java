package io.weft.controller.intent;

/**
 * A host as a client asks for it, unvalidated: {@link IntentService} checks and converts it.
 *
 * @param ovsdb    optional active target; absent for a host that connects to Weft's passive OVSDB listener
 * @param openflow optional passive target on the bridge
 */
public record HostSpec(String name, String tunnelIp, String ovsdb, String datapathType, String openflow) {
}
