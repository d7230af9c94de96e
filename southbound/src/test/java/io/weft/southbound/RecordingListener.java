package io.weft.southbound;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects channel events for assertions. */
final class RecordingListener implements SwitchListener {

    final Map<Long, SwitchHandle> connected = new ConcurrentHashMap<>();
    final List<Long> connects = new CopyOnWriteArrayList<>();
    final List<Long> disconnects = new CopyOnWriteArrayList<>();
    final List<PortEvent> ports = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<PacketIn> packetIns = new CopyOnWriteArrayList<>();

    @Override
    public void switchConnected(SwitchHandle handle) {
        connected.put(handle.datapathId(), handle);
        connects.add(handle.datapathId());
    }

    @Override
    public void switchDisconnected(long dpid) {
        connected.remove(dpid);
        disconnects.add(dpid);
    }

    @Override
    public void portStatus(long dpid, PortEvent event) {
        ports.add(event);
    }

    @Override
    public void packetIn(long dpid, PacketIn packet) {
        packetIns.add(packet);
    }

    @Override
    public void error(long dpid, String description) {
        errors.add(description);
    }
}
