/**
 * What Weft wants a host's OVSDB to hold: the integration bridge and the ports Weft owns on it.
 * Computed as data by the routing and controller modules, applied as a diff by the ovsdb module.
 */
package io.weft.model.ovs;
