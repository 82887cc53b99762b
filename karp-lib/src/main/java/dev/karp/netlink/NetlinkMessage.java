package dev.karp.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One netlink message: the fields of {@code struct nlmsghdr} and the payload after it.
 *
 * @param type    nlmsg_type, e.g. {@link Rtnetlink#RTM_NEWADDR} or {@link Rtnetlink#NLMSG_ERROR}
 * @param flags   nlmsg_flags
 * @param seq     nlmsg_seq, echoed by the kernel in its answers
 * @param portId  nlmsg_pid
 * @param payload the bytes after the 16-byte header, up to nlmsg_len
 */
public record NetlinkMessage(int type, int flags, int seq, int portId, byte[] payload) {

    public NetlinkMessage {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** A read-only view of the payload in native byte order, as the kernel wrote it. */
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetlinkMessage m && type == m.type && flags == m.flags && seq == m.seq
                && portId == m.portId && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return ((type * 31 + flags) * 31 + seq) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "NetlinkMessage[type=" + type + ", flags=0x" + Integer.toHexString(flags) + ", seq=" + seq
                + ", payload=" + payload.length + " bytes]";
    }
}
