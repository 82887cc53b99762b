package dev.karp.netlink;

import static dev.karp.netlink.Rtnetlink.AF_INET;
import static dev.karp.netlink.Rtnetlink.AF_INET6;
import static dev.karp.netlink.Rtnetlink.AF_UNSPEC;
import static dev.karp.netlink.Rtnetlink.IFADDRMSG_LEN;
import static dev.karp.netlink.Rtnetlink.IFA_ADDRESS;
import static dev.karp.netlink.Rtnetlink.IFA_BROADCAST;
import static dev.karp.netlink.Rtnetlink.IFA_CACHEINFO;
import static dev.karp.netlink.Rtnetlink.IFA_CACHEINFO_LEN;
import static dev.karp.netlink.Rtnetlink.IFA_FLAGS;
import static dev.karp.netlink.Rtnetlink.IFA_F_NODAD;
import static dev.karp.netlink.Rtnetlink.IFA_LABEL;
import static dev.karp.netlink.Rtnetlink.IFA_LOCAL;
import static dev.karp.netlink.Rtnetlink.IFINFOMSG_LEN;
import static dev.karp.netlink.Rtnetlink.IFLA_ADDRESS;
import static dev.karp.netlink.Rtnetlink.IFLA_IFNAME;
import static dev.karp.netlink.Rtnetlink.INFINITY_LIFE_TIME;
import static dev.karp.netlink.Rtnetlink.NLMSG_HDRLEN;
import static dev.karp.netlink.Rtnetlink.NLM_F_ACK;
import static dev.karp.netlink.Rtnetlink.NLM_F_CREATE;
import static dev.karp.netlink.Rtnetlink.NLM_F_DUMP;
import static dev.karp.netlink.Rtnetlink.NLM_F_EXCL;
import static dev.karp.netlink.Rtnetlink.NLM_F_REPLACE;
import static dev.karp.netlink.Rtnetlink.NLM_F_REQUEST;
import static dev.karp.netlink.Rtnetlink.RTA_HDRLEN;
import static dev.karp.netlink.Rtnetlink.RTM_DELADDR;
import static dev.karp.netlink.Rtnetlink.RTM_GETADDR;
import static dev.karp.netlink.Rtnetlink.RTM_GETLINK;
import static dev.karp.netlink.Rtnetlink.RTM_NEWADDR;
import static dev.karp.netlink.Rtnetlink.RTM_NEWLINK;
import static dev.karp.netlink.Rtnetlink.RT_SCOPE_UNIVERSE;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Encodes the rtnetlink requests karp sends and decodes the answers. Pure: byte arrays in, byte
 * arrays out, no sockets. Headers are in native byte order as the kernel expects; IPv4 addresses
 * inside attributes are in network order.
 *
 * <pre>
 * struct nlmsghdr  { u32 nlmsg_len; u16 nlmsg_type; u16 nlmsg_flags; u32 nlmsg_seq; u32 nlmsg_pid; }  16 bytes
 * struct ifaddrmsg { u8 ifa_family; u8 ifa_prefixlen; u8 ifa_flags; u8 ifa_scope; u32 ifa_index; }     8 bytes
 * struct ifinfomsg { u8 ifi_family; u8 pad; u16 ifi_type; s32 ifi_index; u32 ifi_flags; u32 ifi_change; } 16 bytes
 * struct rtattr    { u16 rta_len; u16 rta_type; } then the payload, padded to a multiple of 4
 * NLMSG_ERROR payload: s32 error (0 = ack, else -errno), then the request's header
 * </pre>
 */
public final class NetlinkCodec {

    private NetlinkCodec() {
    }

    /** RTM_GETLINK for one interface by name; the kernel answers RTM_NEWLINK or -ENODEV. */
    public static byte[] getLink(int seq, String name) {
        byte[] nameBytes = nulTerminated(name);
        ByteBuffer b = message(RTM_GETLINK, NLM_F_REQUEST, seq, IFINFOMSG_LEN + attributeLength(nameBytes.length));
        putIfinfomsg(b, 0);
        putAttribute(b, IFLA_IFNAME, nameBytes);
        return b.array();
    }

    /** RTM_GETLINK for one interface by index; the kernel answers RTM_NEWLINK or -ENODEV. */
    public static byte[] getLink(int seq, int index) {
        ByteBuffer b = message(RTM_GETLINK, NLM_F_REQUEST, seq, IFINFOMSG_LEN);
        putIfinfomsg(b, index);
        return b.array();
    }

    /** RTM_GETLINK dump of every interface in the namespace, ended by NLMSG_DONE. */
    public static byte[] dumpLinks(int seq) {
        ByteBuffer b = message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq, IFINFOMSG_LEN);
        putIfinfomsg(b, 0);
        return b.array();
    }

    /**
     * RTM_GETADDR dump of every IPv4 address in the namespace. The kernel does not filter by
     * interface unless strict checking is switched on, so callers filter on {@link AddressInfo#index()}.
     */
    public static byte[] dumpAddresses(int seq) {
        return dumpAddresses(seq, AF_INET);
    }

    /** RTM_GETADDR dump of every address of {@code family} ({@link Rtnetlink#AF_UNSPEC}: IPv4, then IPv6). */
    public static byte[] dumpAddresses(int seq, int family) {
        ByteBuffer b = message(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq, IFADDRMSG_LEN);
        putIfaddrmsg(b, family, 0, 0, 0, 0);
        return b.array();
    }

    /**
     * RTM_NEWADDR as {@code ip addr add ADDRESS/PREFIX brd + dev IF} sends it: IFA_LOCAL and
     * IFA_ADDRESS both the address, IFA_BROADCAST for prefixes below /31 (RFC 3021 networks have
     * none), scope universe. NLM_F_EXCL makes an existing identical address answer -EEXIST, which
     * is how callers see "already there".
     */
    public static byte[] newAddress(int seq, int index, Inet4Address address, int prefixLength) {
        return newAddress(seq, index, address, prefixLength, INFINITY_LIFE_TIME, INFINITY_LIFE_TIME, false);
    }

    /**
     * RTM_NEWADDR for an IPv4 or IPv6 address, as {@code ip addr add|replace ADDRESS/PREFIX [brd +] dev IF
     * [valid_lft V preferred_lft P] [nodad]} sends it.
     * <ul>
     *   <li>IPv4 as {@link #newAddress(int, int, Inet4Address, int)}.</li>
     *   <li>IPv6 with {@link Rtnetlink#IFA_F_NODAD} in ifa_flags (it fits in the 8-bit field, so no IFA_FLAGS
     *       attribute is needed): the address is usable at once, never tentative. No broadcast.</li>
     *   <li>Lifetimes other than forever go in IFA_CACHEINFO; the kernel then removes the address by itself
     *       when {@code validSeconds} run out, and deprecates it when {@code preferredSeconds} do.</li>
     *   <li>{@code replace}: NLM_F_REPLACE | NLM_F_CREATE instead of NLM_F_CREATE | NLM_F_EXCL, so an existing
     *       address gets the new lifetimes in place (one RTM_NEWADDR event, never absent) and a missing one is
     *       added (the kernel creates on replace whatever the flags say). IFA_CACHEINFO is then always sent,
     *       so a replace with forever makes the address permanent again.</li>
     * </ul>
     *
     * @throws IllegalArgumentException for a prefix out of range, a zero valid lifetime, or a preferred
     *                                  lifetime longer than the valid one (the kernel's EINVAL cases)
     */
    public static byte[] newAddress(int seq, int index, InetAddress address, int prefixLength, long validSeconds,
            long preferredSeconds, boolean replace) {
        boolean v6 = address instanceof Inet6Address;
        checkPrefix(prefixLength, v6 ? 128 : 32);
        checkLifetimes(validSeconds, preferredSeconds);
        byte[] addr = address.getAddress();
        boolean withBroadcast = !v6 && prefixLength < 31;
        boolean withCacheinfo = replace || validSeconds != INFINITY_LIFE_TIME || preferredSeconds != INFINITY_LIFE_TIME;
        int attrs = 2 * attributeLength(addr.length) + (withBroadcast ? attributeLength(4) : 0)
                + (withCacheinfo ? attributeLength(IFA_CACHEINFO_LEN) : 0);
        int flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL);
        ByteBuffer b = message(RTM_NEWADDR, flags, seq, IFADDRMSG_LEN + attrs);
        putIfaddrmsg(b, v6 ? AF_INET6 : AF_INET, prefixLength, v6 ? IFA_F_NODAD : 0, RT_SCOPE_UNIVERSE, index);
        putAttribute(b, IFA_LOCAL, addr);
        putAttribute(b, IFA_ADDRESS, addr);
        if (withBroadcast) {
            putAttribute(b, IFA_BROADCAST, broadcast(addr, prefixLength));
        }
        if (withCacheinfo) {
            byte[] ci = ByteBuffer.allocate(IFA_CACHEINFO_LEN).order(ByteOrder.nativeOrder())
                    .putInt((int) preferredSeconds).putInt((int) validSeconds).putInt(0).putInt(0).array();
            putAttribute(b, IFA_CACHEINFO, ci);
        }
        return b.array();
    }

    /**
     * RTM_DELADDR naming only IFA_LOCAL. Without IFA_ADDRESS the kernel does not compare the
     * prefix length, so this removes the address whatever prefix it was added with (a VIP left
     * by a UCarp upscript as /24 is removed by a karp configured for /32). A missing address
     * answers -EADDRNOTAVAIL.
     */
    public static byte[] deleteAddress(int seq, int index, Inet4Address address) {
        ByteBuffer b = message(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, seq, IFADDRMSG_LEN + attributeLength(4));
        putIfaddrmsg(b, AF_INET, 0, 0, RT_SCOPE_UNIVERSE, index);
        putAttribute(b, IFA_LOCAL, address.getAddress());
        return b.array();
    }

    /**
     * RTM_DELADDR for an IPv6 address. Unlike IPv4, the kernel deletes an IPv6 address only when
     * the prefix length matches too, so callers list the address first and pass the prefix it has.
     * A missing address answers -EADDRNOTAVAIL.
     */
    public static byte[] deleteAddress(int seq, int index, Inet6Address address, int prefixLength) {
        checkPrefix(prefixLength, 128);
        ByteBuffer b = message(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, seq, IFADDRMSG_LEN + attributeLength(16));
        putIfaddrmsg(b, AF_INET6, prefixLength, 0, RT_SCOPE_UNIVERSE, index);
        putAttribute(b, IFA_ADDRESS, address.getAddress());
        return b.array();
    }

    /** RTM_GETNEIGH dump of the neighbour table of {@code family} ({@link Rtnetlink#AF_INET} or AF_INET6). */
    public static byte[] dumpNeighbours(int seq, int family) {
        ByteBuffer b = message(Rtnetlink.RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, seq, Rtnetlink.NDMSG_LEN);
        putNdmsg(b, family, 0, 0, 0);
        return b.array();
    }

    /**
     * RTM_NEWNEIGH with NTF_USE for {@code address} on interface {@code index}, as {@code ip neigh replace ADDRESS
     * dev IF use}: the kernel creates the entry if needed and treats it as if a packet were waiting for it, so an
     * entry without a MAC (new, INCOMPLETE, FAILED) sends an ARP request or neighbour solicitation now, and a STALE
     * one is re-confirmed. Nothing is sent to the neighbour itself; the state given is ignored with NTF_USE.
     */
    public static byte[] useNeighbour(int seq, int index, InetAddress address) {
        byte[] dst = address.getAddress();
        int family = address instanceof Inet6Address ? AF_INET6 : AF_INET;
        ByteBuffer b = message(Rtnetlink.RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, seq,
                Rtnetlink.NDMSG_LEN + attributeLength(dst.length));
        putNdmsg(b, family, index, 0, Rtnetlink.NTF_USE);
        putAttribute(b, Rtnetlink.NDA_DST, dst);
        return b.array();
    }

    /** Decodes an RTM_NEWNEIGH answer or event; empty for other families and entries without an address. */
    public static Optional<NeighbourInfo> parseNeighbour(NetlinkMessage message) {
        if (message.type() != Rtnetlink.RTM_NEWNEIGH && message.type() != Rtnetlink.RTM_DELNEIGH) {
            throw new IllegalArgumentException("not RTM_NEWNEIGH: type " + message.type());
        }
        ByteBuffer p = message.payloadBuffer();
        if (p.remaining() < Rtnetlink.NDMSG_LEN) {
            throw new IllegalArgumentException("short ndmsg: " + p.remaining() + " bytes (expected: 12+)");
        }
        int family = Byte.toUnsignedInt(p.get());
        p.get(); // pad1
        p.getShort(); // pad2
        int index = p.getInt();
        int state = Short.toUnsignedInt(p.getShort());
        p.get(); // ndm_flags
        p.get(); // ndm_type
        if (family != AF_INET && family != AF_INET6) {
            return Optional.empty();
        }
        InetAddress dst = null;
        byte[] lladdr = null;
        while (p.remaining() >= RTA_HDRLEN) {
            int start = p.position();
            int len = Short.toUnsignedInt(p.getShort());
            int type = Short.toUnsignedInt(p.getShort()) & 0x3fff;
            if (len < RTA_HDRLEN || start + len > p.limit()) {
                break;
            }
            byte[] value = new byte[len - RTA_HDRLEN];
            p.get(value);
            if (type == Rtnetlink.NDA_DST) {
                dst = inet(value, family == AF_INET ? 4 : 16);
            } else if (type == Rtnetlink.NDA_LLADDR) {
                lladdr = value;
            }
            p.position(Math.min(p.limit(), start + align(len)));
        }
        if (dst == null) {
            return Optional.empty();
        }
        return Optional.of(new NeighbourInfo(index, dst, Optional.ofNullable(lladdr), state));
    }

    private static void putNdmsg(ByteBuffer b, int family, int index, int state, int flags) {
        b.put((byte) family);
        b.put((byte) 0);
        b.putShort((short) 0);
        b.putInt(index);
        b.putShort((short) state);
        b.put((byte) flags);
        b.put((byte) 0); // ndm_type
    }

    /**
     * RTM_SETLINK setting one IPv4 per-interface setting ({@code net.ipv4.conf.IF.NAME}) through
     * IFLA_AF_SPEC / AF_INET / IFLA_INET_CONF, as a sysctl write would, but in the namespace of the
     * netlink socket rather than that of the calling thread.
     *
     * @param devconf the setting's index, e.g. {@link Rtnetlink#IPV4_DEVCONF_PROMOTE_SECONDARIES}
     */
    public static byte[] setInetDevconf(int seq, int index, int devconf, int value) {
        byte[] u32 = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
        byte[] conf = nested(devconf, u32);
        byte[] inet = nested(Rtnetlink.IFLA_INET_CONF, conf);
        byte[] afInet = nested(AF_INET, inet);
        ByteBuffer b = message(Rtnetlink.RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, seq,
                IFINFOMSG_LEN + attributeLength(afInet.length));
        putIfinfomsg(b, index);
        putAttribute(b, Rtnetlink.IFLA_AF_SPEC, afInet);
        return b.array();
    }

    /** One attribute as bytes (header, value, padding), to nest in another. */
    private static byte[] nested(int type, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(attributeLength(value.length)).order(ByteOrder.nativeOrder());
        putAttribute(b, type, value);
        return b.array();
    }

    /**
     * Splits what one recv() returned into messages.
     *
     * @throws IllegalArgumentException if a header's length runs past the data or is shorter
     *                                  than the header itself
     */
    public static List<NetlinkMessage> split(byte[] data, int length) {
        ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        List<NetlinkMessage> out = new ArrayList<>();
        while (b.remaining() >= NLMSG_HDRLEN) {
            int start = b.position();
            int len = b.getInt();
            int type = Short.toUnsignedInt(b.getShort());
            int flags = Short.toUnsignedInt(b.getShort());
            int seq = b.getInt();
            int pid = b.getInt();
            if (len < NLMSG_HDRLEN || start + len > length) {
                throw new IllegalArgumentException("bad netlink message length " + len + " at offset " + start
                        + " (expected: 16.." + (length - start) + ")");
            }
            byte[] payload = new byte[len - NLMSG_HDRLEN];
            b.get(payload);
            out.add(new NetlinkMessage(type, flags, seq, pid, payload));
            b.position(Math.min(length, start + align(len)));
        }
        return out;
    }

    /**
     * The status in an NLMSG_ERROR or NLMSG_DONE payload: 0 for an ack or a clean end, else a
     * positive errno (the kernel sends it negated).
     */
    public static int errno(NetlinkMessage message) {
        ByteBuffer p = message.payloadBuffer();
        if (p.remaining() < 4) {
            return 0;
        }
        return -p.getInt();
    }

    /** Decodes an RTM_NEWLINK answer, or an RTM_NEWLINK/RTM_DELLINK event (same layout). */
    public static LinkInfo parseLink(NetlinkMessage message) {
        if (message.type() != RTM_NEWLINK && message.type() != Rtnetlink.RTM_DELLINK) {
            throw new IllegalArgumentException("not RTM_NEWLINK or RTM_DELLINK: type " + message.type());
        }
        ByteBuffer p = message.payloadBuffer();
        if (p.remaining() < IFINFOMSG_LEN) {
            throw new IllegalArgumentException("short ifinfomsg: " + p.remaining() + " bytes (expected: 16+)");
        }
        p.get(); // ifi_family
        p.get(); // pad
        p.getShort(); // ifi_type
        int index = p.getInt();
        int flags = p.getInt();
        p.getInt(); // ifi_change
        String name = "";
        byte[] mac = new byte[0];
        while (p.remaining() >= RTA_HDRLEN) {
            int start = p.position();
            int len = Short.toUnsignedInt(p.getShort());
            int type = Short.toUnsignedInt(p.getShort()) & 0x3fff; // strip NLA_F_NESTED / NLA_F_NET_BYTEORDER
            if (len < RTA_HDRLEN || start + len > p.limit()) {
                break;
            }
            byte[] value = new byte[len - RTA_HDRLEN];
            p.get(value);
            if (type == IFLA_IFNAME) {
                name = cString(value);
            } else if (type == IFLA_ADDRESS) {
                mac = value;
            }
            p.position(Math.min(p.limit(), start + align(len)));
        }
        return new LinkInfo(index, name, flags, mac);
    }

    /**
     * Decodes an RTM_NEWADDR answer or event (RTM_DELADDR has the same layout); empty for families other
     * than IPv4 and IPv6, and for a message without an address.
     */
    public static Optional<AddressInfo> parseAddress(NetlinkMessage message) {
        if (message.type() != RTM_NEWADDR && message.type() != RTM_DELADDR) {
            throw new IllegalArgumentException("not RTM_NEWADDR: type " + message.type());
        }
        ByteBuffer p = message.payloadBuffer();
        if (p.remaining() < IFADDRMSG_LEN) {
            throw new IllegalArgumentException("short ifaddrmsg: " + p.remaining() + " bytes (expected: 8+)");
        }
        int family = Byte.toUnsignedInt(p.get());
        int prefixLength = Byte.toUnsignedInt(p.get());
        int flags = Byte.toUnsignedInt(p.get()); // the 32-bit IFA_FLAGS attribute supersedes it when present
        int scope = Byte.toUnsignedInt(p.get());
        int index = p.getInt();
        if (family != AF_INET && family != AF_INET6) {
            return Optional.empty();
        }
        int length = family == AF_INET ? 4 : 16;
        InetAddress local = null;
        InetAddress address = null;
        Inet4Address broadcast = null;
        String label = "";
        long valid = INFINITY_LIFE_TIME;
        long preferred = INFINITY_LIFE_TIME;
        while (p.remaining() >= RTA_HDRLEN) {
            int start = p.position();
            int len = Short.toUnsignedInt(p.getShort());
            int type = Short.toUnsignedInt(p.getShort()) & 0x3fff;
            if (len < RTA_HDRLEN || start + len > p.limit()) {
                break;
            }
            byte[] value = new byte[len - RTA_HDRLEN];
            p.get(value);
            switch (type) {
                case IFA_LOCAL -> local = inet(value, length);
                case IFA_ADDRESS -> address = inet(value, length);
                case IFA_BROADCAST -> broadcast = (Inet4Address) inet(value, 4);
                case IFA_LABEL -> label = cString(value);
                case IFA_FLAGS -> flags = value.length == 4 ? u32(value, 0) : flags;
                case IFA_CACHEINFO -> {
                    if (value.length >= IFA_CACHEINFO_LEN) {
                        preferred = Integer.toUnsignedLong(u32(value, 0));
                        valid = Integer.toUnsignedLong(u32(value, 4));
                    }
                }
                default -> {
                    // IFA_MULTICAST, IFA_RT_PRIORITY, ...: not needed
                }
            }
            p.position(Math.min(p.limit(), start + align(len)));
        }
        // On point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is always our own address.
        InetAddress own = local != null ? local : address;
        if (own == null) {
            return Optional.empty();
        }
        return Optional.of(new AddressInfo(index, prefixLength, scope, own, Optional.ofNullable(broadcast), label,
                flags, valid, preferred));
    }

    private static int u32(byte[] value, int offset) {
        return ByteBuffer.wrap(value, offset, 4).order(ByteOrder.nativeOrder()).getInt();
    }

    /** The directed broadcast address of {@code address/prefixLength}: host bits all ones. */
    static byte[] broadcast(byte[] address, int prefixLength) {
        int a = ByteBuffer.wrap(address).getInt();
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return ByteBuffer.allocate(4).putInt(a | ~mask).array();
    }

    private static ByteBuffer message(int type, int flags, int seq, int payloadLength) {
        int len = NLMSG_HDRLEN + payloadLength;
        ByteBuffer b = ByteBuffer.allocate(align(len)).order(ByteOrder.nativeOrder());
        b.putInt(len);
        b.putShort((short) type);
        b.putShort((short) flags);
        b.putInt(seq);
        b.putInt(0); // nlmsg_pid: 0 = to the kernel; the kernel fills in ours on the way back
        return b;
    }

    private static void putIfinfomsg(ByteBuffer b, int index) {
        b.put((byte) AF_UNSPEC);
        b.put((byte) 0);
        b.putShort((short) 0);
        b.putInt(index);
        b.putInt(0);
        b.putInt(0);
    }

    private static void putIfaddrmsg(ByteBuffer b, int family, int prefixLength, int flags, int scope, int index) {
        b.put((byte) family);
        b.put((byte) prefixLength);
        b.put((byte) flags);
        b.put((byte) scope);
        b.putInt(index);
    }

    private static void putAttribute(ByteBuffer b, int type, byte[] value) {
        int start = b.position();
        b.putShort((short) (RTA_HDRLEN + value.length));
        b.putShort((short) type);
        b.put(value);
        b.position(start + attributeLength(value.length));
    }

    private static int attributeLength(int valueLength) {
        return align(RTA_HDRLEN + valueLength);
    }

    private static int align(int len) {
        return (len + 3) & ~3;
    }

    private static byte[] nulTerminated(String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[raw.length + 1];
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }

    private static String cString(byte[] value) {
        int end = 0;
        while (end < value.length && value[end] != 0) {
            end++;
        }
        return new String(value, 0, end, StandardCharsets.UTF_8);
    }

    /** The address in {@code value} if it has {@code length} (4 or 16) bytes, else null. */
    private static InetAddress inet(byte[] value, int length) {
        if (value.length != length) {
            return null;
        }
        try {
            return InetAddress.getByAddress(value);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an IP address", e);
        }
    }

    private static void checkPrefix(int prefixLength, int max) {
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range (expected: 0.."
                    + max + ")");
        }
    }

    private static void checkLifetimes(long validSeconds, long preferredSeconds) {
        if (validSeconds < 1 || validSeconds > INFINITY_LIFE_TIME) {
            throw new IllegalArgumentException("valid lifetime " + validSeconds + " s is out of range (expected: 1.."
                    + INFINITY_LIFE_TIME + ", the last meaning forever)");
        }
        if (preferredSeconds < 0 || preferredSeconds > validSeconds) {
            throw new IllegalArgumentException("preferred lifetime " + preferredSeconds + " s is out of range"
                    + " (expected: 0.." + validSeconds + ", at most the valid lifetime)");
        }
    }
}
