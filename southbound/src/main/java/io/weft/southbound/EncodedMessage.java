package io.weft.southbound;

import com.google.common.hash.PrimitiveSink;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * A message openflowj encoded once with xid 0 ({@link SharedFlowMods}), written with one switch's own xid: the same
 * bytes serve every switch of its version. It goes where openflowj takes a message (a batch, a bundle-add's data);
 * it cannot be rebuilt ({@link #createBuilder}).
 */
final class EncodedMessage implements OFMessage {

    /** Where the xid sits in every OpenFlow header (version, type, length, xid). */
    private static final int XID_OFFSET = 4;

    private final OFVersion version;
    private final OFType type;
    private final byte[] bytes;
    private final long xid;

    EncodedMessage(OFVersion version, OFType type, byte[] bytes, long xid) {
        this.version = version;
        this.type = type;
        this.bytes = bytes;
        this.xid = xid;
    }

    @Override
    public void writeTo(ByteBuf out) {
        int at = out.writerIndex();
        out.writeBytes(bytes);
        out.setInt(at + XID_OFFSET, (int) xid);
    }

    @Override
    public OFVersion getVersion() {
        return version;
    }

    @Override
    public OFType getType() {
        return type;
    }

    @Override
    public long getXid() {
        return xid;
    }

    @Override
    public boolean equalsIgnoreXid(Object o) {
        return o instanceof EncodedMessage m && Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCodeIgnoreXid() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return equalsIgnoreXid(o) && ((EncodedMessage) o).xid == xid;
    }

    @Override
    public int hashCode() {
        return 31 * hashCodeIgnoreXid() + Long.hashCode(xid);
    }

    @Override
    public void putTo(PrimitiveSink sink) {
        sink.putBytes(bytes).putLong(xid);
    }

    @Override
    public Builder createBuilder() {
        throw new UnsupportedOperationException("an encoded " + type + " is sent as it is");
    }

    @Override
    public String toString() {
        return "EncodedMessage(" + version + " " + type + ", " + bytes.length + " bytes, xid " + xid + ")";
    }
}
