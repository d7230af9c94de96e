/**
 * Weft's OVSDB southbound: an RFC 7047 JSON-RPC client, a monitored cache, and the provisioner that turns a
 * {@link io.weft.model.ovs.DesiredBridge} into the minimal transaction per host.
 *
 * <p>Written on Netty + Jackson rather than {@code com.vmware.ovsdb:ovsdb-client}: that library has no {@code unix:}
 * transport, which every host of our test bed and most real deployments use (ovsdb-server's default remote is
 * {@code punix:/var/run/openvswitch/db.sock}), and it pins Jackson 2.8 and log4j 1.x, which the build bans.
 *
 * <p>Layers, each small: {@link io.weft.ovsdb.OvsdbCodec} (value encodings), {@link io.weft.ovsdb.Operation}
 * (transact operations), {@link io.weft.ovsdb.OvsdbTransport} / {@link io.weft.ovsdb.OvsdbConnection} (Netty
 * pipeline {@code [ssl] -> idle -> JsonObjectDecoder -> handler}, id-correlated futures, echo both ways),
 * {@link io.weft.ovsdb.OvsdbSnapshot} (immutable cache), {@link io.weft.ovsdb.ProvisionPlanner} (pure diff) and
 * {@link io.weft.ovsdb.OvsdbHost} (per-host session: reconnect, resync, serialised apply).
 * Futures complete on Netty event loops: callers must not block in their callbacks.
 */
package io.weft.ovsdb;
