package io.weft.controller;

import io.weft.controller.cluster.ReplicaSettings;
import io.weft.controller.etcd.EtcdTarget;
import io.weft.controller.reconcile.Reconciler;
import io.weft.model.ConnectionTarget;
import io.weft.ovsdb.SslConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How an operator configured this controller process.
 *
 * @param restListen          [http://|https://]host:port of the REST API
 * @param openflowListen      targets the OpenFlow server listens on ({@code tcp:IP:PORT}, {@code ssl:IP:PORT},
 *                            {@code unix:PATH})
 * @param openflowAdvertise   the controller target written into bridges that connect to us
 * @param ovsdbListen         optional passive OVSDB listener ({@code ptcp:PORT[:IP]}, {@code punix:PATH}) for hosts
 *                            that run {@code ovs-vsctl set-manager}
 * @param dataDir             where the embedded store keeps its file
 * @param underlayMtu         MTU of the hosts' underlay, from which network MTUs default
 * @param tls                 this controller's key, certificate and the CA its peers' certificates must be signed by
 *                            (PEM files, as {@code ovs-vsctl set-ssl}); every TLS channel uses them
 * @param restTokens          file of the REST API's bearer tokens; without it the API asks for none
 * @param insecure            the operator accepts a REST API beyond loopback without HTTPS or tokens
 * @param southbound          who may connect to the southbound listeners and what a connection may hold
 * @param auditInterval       how often each idle switch is checked for flows changed behind Weft's back; zero: never
 * @param dnsUpstream         where containers' DNS queries for names that are not their network's are forwarded;
 *                            without one they are refused
 * @param etcd                the etcd cluster that holds the state, shared by every replica; without it the embedded
 *                            store in {@code dataDir}
 * @param replicas            this replica's id and leader lease, among several on {@code etcd}
 */
public record ControllerSettings(String restListen, List<String> openflowListen, String openflowAdvertise,
                                 Optional<String> ovsdbListen, Path dataDir, int underlayMtu, Optional<SslConfig> tls,
                                 Optional<Path> restTokens, boolean insecure, SouthboundSettings southbound,
                                 Duration auditInterval, Optional<java.net.InetSocketAddress> dnsUpstream,
                                 Optional<EtcdTarget> etcd, ReplicaSettings replicas) {

    /** With the default replica settings. */
    public ControllerSettings(String restListen, List<String> openflowListen, String openflowAdvertise,
                              Optional<String> ovsdbListen, Path dataDir, int underlayMtu, Optional<SslConfig> tls,
                              Optional<Path> restTokens, boolean insecure, SouthboundSettings southbound,
                              Duration auditInterval, Optional<java.net.InetSocketAddress> dnsUpstream,
                              Optional<EtcdTarget> etcd) {
        this(restListen, openflowListen, openflowAdvertise, ovsdbListen, dataDir, underlayMtu, tls, restTokens,
                insecure, southbound, auditInterval, dnsUpstream, etcd, ReplicaSettings.DEFAULTS);
    }

    /** With the embedded store. */
    public ControllerSettings(String restListen, List<String> openflowListen, String openflowAdvertise,
                              Optional<String> ovsdbListen, Path dataDir, int underlayMtu, Optional<SslConfig> tls,
                              Optional<Path> restTokens, boolean insecure, SouthboundSettings southbound,
                              Duration auditInterval, Optional<java.net.InetSocketAddress> dnsUpstream) {
        this(restListen, openflowListen, openflowAdvertise, ovsdbListen, dataDir, underlayMtu, tls, restTokens,
                insecure, southbound, auditInterval, dnsUpstream, Optional.empty());
    }

    /** Without a DNS upstream. */
    public ControllerSettings(String restListen, List<String> openflowListen, String openflowAdvertise,
                              Optional<String> ovsdbListen, Path dataDir, int underlayMtu, Optional<SslConfig> tls,
                              Optional<Path> restTokens, boolean insecure, SouthboundSettings southbound,
                              Duration auditInterval) {
        this(restListen, openflowListen, openflowAdvertise, ovsdbListen, dataDir, underlayMtu, tls, restTokens,
                insecure, southbound, auditInterval, Optional.empty());
    }

    /** With the default audit interval. */
    public ControllerSettings(String restListen, List<String> openflowListen, String openflowAdvertise,
                              Optional<String> ovsdbListen, Path dataDir, int underlayMtu, Optional<SslConfig> tls,
                              Optional<Path> restTokens, boolean insecure, SouthboundSettings southbound) {
        this(restListen, openflowListen, openflowAdvertise, ovsdbListen, dataDir, underlayMtu, tls, restTokens,
                insecure, southbound, Reconciler.Settings.DEFAULTS.auditInterval());
    }

    /** Without REST tokens, not insecure, default southbound limits. */
    public ControllerSettings(String restListen, List<String> openflowListen, String openflowAdvertise,
                              Optional<String> ovsdbListen, Path dataDir, int underlayMtu, Optional<SslConfig> tls) {
        this(restListen, openflowListen, openflowAdvertise, ovsdbListen, dataDir, underlayMtu, tls, Optional.empty(),
                false, SouthboundSettings.defaults());
    }

    public ControllerSettings {
        openflowListen = List.copyOf(openflowListen);
        if (openflowListen.isEmpty()) {
            throw new IllegalArgumentException("at least one OpenFlow listen target is required");
        }
        openflowListen.forEach(t -> ConnectionTarget.bindable("openflow listen", t));
        ConnectionTarget.connectable("openflow advertise", openflowAdvertise);
        ovsdbListen.ifPresent(t -> ConnectionTarget.listener("ovsdb listen", t));
        tls = tls == null ? Optional.empty() : tls;
        restTokens = restTokens == null ? Optional.empty() : restTokens;
        southbound = southbound == null ? SouthboundSettings.defaults() : southbound;
        auditInterval = auditInterval == null ? Reconciler.Settings.DEFAULTS.auditInterval() : auditInterval;
        dnsUpstream = dnsUpstream == null ? Optional.empty() : dnsUpstream;
        etcd = etcd == null ? Optional.empty() : etcd;
        replicas = replicas == null ? ReplicaSettings.DEFAULTS : replicas;
        if (auditInterval.isNegative()) {
            throw new IllegalArgumentException("the audit interval cannot be negative");
        }
        if (tls.isEmpty()) {
            List<String> needTls = new java.util.ArrayList<>(openflowListen);
            needTls.add(openflowAdvertise);
            ovsdbListen.ifPresent(needTls::add);
            needTls.stream().filter(t -> ConnectionTarget.parse(t).tls()).findFirst().ifPresent(t -> {
                throw new IllegalArgumentException(t + " needs TLS: give --tls-cert, --tls-key and --tls-ca");
            });
        }
        if (underlayMtu < 1280 || underlayMtu > 9216) {
            throw new IllegalArgumentException("underlay MTU " + underlayMtu + " is outside 1280..9216");
        }
    }
}
